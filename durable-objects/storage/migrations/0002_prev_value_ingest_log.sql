CREATE TABLE `ingest_log` (
	`namespace` text NOT NULL,
	`seq` integer NOT NULL,
	`rv` integer NOT NULL,
	PRIMARY KEY(`namespace`, `seq`)
);
--> statement-breakpoint
DROP INDEX `events_origin`;--> statement-breakpoint
ALTER TABLE `events` ADD `prev_value` text;--> statement-breakpoint
CREATE INDEX `events_origin` ON `events` (`origin_namespace`,`origin_seq`);