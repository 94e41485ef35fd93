-- The warehouse's tables. Applied by xxgk.load.schema on every connect: idempotent by design
-- (CREATE ... IF NOT EXISTS only), so a newer xxgk can add tables to an older file.
-- Template-derived reference tables (template_cells, template_identities), the vocabulary
-- tables (statuses, flag_kinds: xxgk.vocabulary) and the column comments that quote the
-- template are built by xxgk.load.schema. These tables are the one list of the warehouse's
-- columns: the loader inserts frames BY NAME and reads the columns back from DuckDB.
--
-- Keys make doubling impossible: one report per (agency, year), one row per raw file; a
-- report's facts and checks are only ever written with it (see facts).

CREATE TABLE IF NOT EXISTS warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS source_files (
    path            VARCHAR PRIMARY KEY,   -- relative to the raw folder, forward slashes
    sha256          VARCHAR,
    size            BIGINT,
    mtime_ns        BIGINT,                -- with size: the cheap "unchanged?" test
    encoding        VARCHAR,
    encoding_method VARCHAR,
    replaced_bytes  BIGINT[],              -- offsets of the bytes decoded as U+FFFD, or NULL
    status          VARCHAR NOT NULL,      -- one of the statuses table (xxgk.vocabulary)
    error           VARCHAR,
    agency          VARCHAR,               -- the (agency, year) the file claims, if any
    year            INTEGER,
    template        VARCHAR,
    flagged_cells   INTEGER,
    failed_checks   INTEGER,
    parser_version  VARCHAR,
    missing         BOOLEAN NOT NULL DEFAULT false,
    first_seen      TIMESTAMPTZ,
    last_seen       TIMESTAMPTZ,
    changed_at      TIMESTAMPTZ,           -- when its content was last parsed
    last_run_id     VARCHAR
);

CREATE TABLE IF NOT EXISTS reports (
    agency          VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    template        VARCHAR,
    status          VARCHAR NOT NULL,
    agency_source   VARCHAR,
    year_source     VARCHAR,
    parser_version  VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    prose           MAP(VARCHAR, VARCHAR),
    fact_count      INTEGER NOT NULL,
    flagged_cells   INTEGER NOT NULL,
    check_count     INTEGER NOT NULL,
    failed_checks   INTEGER NOT NULL,
    loaded_at       TIMESTAMPTZ,
    run_id          VARCHAR,
    PRIMARY KEY (agency, year)
);

CREATE TABLE IF NOT EXISTS facts (
    agency          VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    template        VARCHAR,
    section         VARCHAR NOT NULL,
    code            VARCHAR NOT NULL,
    category        VARCHAR,
    column_label    VARCHAR NOT NULL,      -- "column" is reserved in SQL
    applicant_type  VARCHAR,
    value           DOUBLE,
    unit            VARCHAR,
    raw             VARCHAR,
    flag            VARCHAR,
    span_start      INTEGER,
    span_end        INTEGER,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    parser_version  VARCHAR NOT NULL
    -- No index: one report per (agency, year) is the key (reports), facts are written only
    -- in the transaction that writes their report, after deleting that report's facts, and
    -- xxgk.transform.tidy keeps one fact per (code, column_label). An index on some ten million
    -- rows would cost the nightly load time and memory and guard nothing more.
);

CREATE TABLE IF NOT EXISTS checks (
    agency          VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    rule            VARCHAR NOT NULL,
    scope           VARCHAR,
    passed          BOOLEAN,               -- NULL: cells undetermined, the check could not run
    expected        DOUBLE,
    found           DOUBLE,
    detail          VARCHAR,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    parser_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS conflicts (
    agency          VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    kept_path       VARCHAR NOT NULL,
    kept_sha256     VARCHAR,
    kept_status     VARCHAR,
    other_path      VARCHAR NOT NULL,
    other_sha256    VARCHAR,
    other_status    VARCHAR,
    reason          VARCHAR NOT NULL,
    detected_at     TIMESTAMPTZ,
    run_id          VARCHAR,
    PRIMARY KEY (agency, year, other_path)
);

CREATE TABLE IF NOT EXISTS ingestion_runs (
    run_id                VARCHAR PRIMARY KEY,
    kind                  VARCHAR NOT NULL,   -- ingest | rebuild
    raw_dir               VARCHAR,
    status                VARCHAR NOT NULL,   -- ok | failed | abandoned
    started_at            TIMESTAMPTZ NOT NULL,
    finished_at           TIMESTAMPTZ,
    seconds               DOUBLE,
    files_seen            INTEGER,
    files_new             INTEGER,
    files_changed         INTEGER,
    files_unchanged       INTEGER,
    files_missing         INTEGER,
    files_failed          INTEGER,
    reports_loaded        INTEGER,
    facts_loaded          BIGINT,
    reports_failed_checks INTEGER,
    conflicts             INTEGER,
    parser_version        VARCHAR,
    flow_run_id           VARCHAR,
    error                 VARCHAR
);

COMMENT ON TABLE source_files IS 'Every raw file ever seen: hash, size, encoding, parse status and error. A file that failed is here with its error; a removed file has missing = true.';
COMMENT ON TABLE reports IS 'One report per (agency, year): the file kept by the conflict rule (README), its template, status, prose and counts.';
COMMENT ON TABLE facts IS 'One row per template cell per report, zeros included (tidy, long). Join template_cells on (template, code, column_label) for labels.';
COMMENT ON TABLE checks IS 'Every identity check of every report, passed or not, with expected and found values.';
COMMENT ON TABLE conflicts IS 'Files claiming an (agency, year) that another file won, with the reason (README: the conflict rule).';
COMMENT ON TABLE ingestion_runs IS 'One row per ingest or rebuild: when, what, how many, how long, the Prefect flow run id. Runs since the last published version (nights with nothing to write, failed and killed runs) wait in the journal beside the warehouse (warehouse.duckdb.runs.jsonl, shown by xxgk status) until the next run that writes.';
COMMENT ON COLUMN facts.value IS 'The number the cell holds; NULL when the printed text does not determine it (blank, /, 无, ambiguous run-together digits): see raw and flag.';
COMMENT ON COLUMN facts.raw IS 'The cell text as printed.';
COMMENT ON COLUMN facts.flag IS 'Why value is NULL or doubtful (NULL when the cell read cleanly).';
COMMENT ON COLUMN facts.span_start IS 'Where the cell was read: first character offset in the decoded text of the file (after decoding, before normalisation); NULL where no printed text holds the cell.';
COMMENT ON COLUMN facts.span_end IS 'Where the cell was read: offset just past its last character (the span is [span_start, span_end)); NULL with span_start.';
COMMENT ON COLUMN facts.path IS 'Provenance: the raw file (relative to the raw folder) the fact was read from.';
COMMENT ON COLUMN facts.sha256 IS 'Provenance: the SHA-256 of that file''s bytes.';
COMMENT ON COLUMN facts.parser_version IS 'Provenance: xxgk.PARSER_VERSION that read the file.';
COMMENT ON COLUMN facts.template IS 'Template version of the report (2019 or 2021).';
