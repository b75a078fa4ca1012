CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rv` integer,
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`node_name` text,
	`prev_node_name` text,
	`value` text NOT NULL,
	`origin_namespace` text,
	`origin_seq` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_rv` ON `events` (`rv`);--> statement-breakpoint
CREATE INDEX `events_resource_rv` ON `events` (`resource`,`rv`);--> statement-breakpoint
CREATE UNIQUE INDEX `events_origin` ON `events` (`origin_namespace`,`origin_seq`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`rv` integer,
	`seq` integer NOT NULL,
	`uid` text NOT NULL,
	`node_name` text,
	`value` text NOT NULL,
	PRIMARY KEY(`resource`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE INDEX `objects_node` ON `objects` (`resource`,`node_name`);