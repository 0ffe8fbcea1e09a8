-- Reelbox cluster schema, version 1. Flyway applies it once, under PostgreSQL's advisory lock, so nodes that start
-- together do not race.

-- Camel's JDBC idempotent repository: one row per drop a node claimed. The primary key makes a claim exactly-once
-- across nodes. messageId is wider than Camel's default (100): a drop key carries the sidecar's path.
CREATE TABLE camel_messageprocessed (
    processorName VARCHAR(255)  NOT NULL,
    messageId     VARCHAR(4096) NOT NULL,
    createdAt     TIMESTAMP     NOT NULL,
    PRIMARY KEY (processorName, messageId)
);

-- One row per claimed job: which node holds it, under which epoch, until when, and its journal entry.
-- Every write a node makes for a job names the epoch it holds; a takeover raises the epoch, so a node that was paused
-- or cut off finds its writes refused (fencing).
CREATE TABLE reelbox_job (
    job_id      VARCHAR(400) PRIMARY KEY,
    node        VARCHAR(200) NOT NULL,
    epoch       BIGINT       NOT NULL,
    lease_until TIMESTAMPTZ  NOT NULL,
    state       VARCHAR(16)  NOT NULL CHECK (state IN ('running', 'done')),
    journal     TEXT,
    takeovers   INT          NOT NULL DEFAULT 0,
    claimed_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX reelbox_job_expiry ON reelbox_job (lease_until) WHERE state = 'running';
CREATE INDEX reelbox_job_node ON reelbox_job (node) WHERE state = 'running';
