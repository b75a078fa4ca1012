CREATE TABLE `schedule` (
	`controller` text NOT NULL,
	`key` text NOT NULL,
	`due` integer NOT NULL,
	PRIMARY KEY(`controller`, `key`)
);
--> statement-breakpoint
CREATE INDEX `schedule_due` ON `schedule` (`due`);