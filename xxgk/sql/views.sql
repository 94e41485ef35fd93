-- Analyst-facing views over the loader's tables (schema.sql). Like a dbt project's marts over
-- its staging models: the tables are what the loader owns and keeps consistent; the views are
-- what analysts query, and can change shape without a reload. Recreated on every connect.
-- The HEADLINE_COLUMNS placeholder below is filled by xxgk.load.schema from the template
-- data (one column per total cell), so no code or label is restated here.

CREATE OR REPLACE VIEW files AS
SELECT
    f.path, f.status, f.error, f.missing, f.agency, f.year, f.template,
    CASE
        WHEN r.path IS NOT NULL THEN 'report'
        WHEN f.status = 'error' THEN 'failed'
        WHEN f.missing THEN 'missing'
        WHEN c.other_path IS NOT NULL THEN 'conflict'
        WHEN f.agency IS NULL OR f.year IS NULL THEN 'failed'
        ELSE 'no report'
    END AS role,
    c.kept_path AS lost_to,
    f.flagged_cells, f.failed_checks, f.size, f.sha256, f.encoding, f.encoding_method,
    f.replaced_bytes,
    to_timestamp(f.mtime_ns / 1e9) AS mtime,
    f.first_seen, f.last_seen, f.changed_at, f.parser_version
FROM source_files f
LEFT JOIN reports r ON r.path = f.path
LEFT JOIN conflicts c ON c.other_path = f.path;

CREATE OR REPLACE VIEW problem_files AS
SELECT path, role, status, error, agency, year, lost_to, last_seen
FROM files
WHERE role <> 'report' OR missing
ORDER BY role, path;

CREATE OR REPLACE VIEW report_summary AS
SELECT
    r.agency, r.year, r.template, r.status,
    r.fact_count, r.flagged_cells, r.check_count, r.failed_checks,
    /*HEADLINE_COLUMNS*/
    r.path, r.parser_version, r.loaded_at
FROM reports r
LEFT JOIN facts f ON f.agency = r.agency AND f.year = r.year
GROUP BY ALL
ORDER BY r.agency, r.year;

CREATE OR REPLACE VIEW facts_by_code AS
SELECT
    f.code, f.column_label, f.applicant_type, f.year, f.unit,  -- never a sum across units
    any_value(f.section) AS section,
    any_value(f.category) AS category,
    count(*) AS reports,
    count(f.value) AS with_value,
    count(*) FILTER (WHERE f.flag IS NOT NULL AND NOT coalesce(k.descriptive, false)) AS flagged,
    sum(f.value) AS total,
    avg(f.value) AS mean,
    min(f.value) AS min,
    max(f.value) AS max
FROM facts f
LEFT JOIN flag_kinds k ON k.kind = split_part(f.flag, ':', 1)
GROUP BY f.code, f.column_label, f.applicant_type, f.year, f.unit
ORDER BY f.code, f.column_label, f.year, f.unit;

CREATE OR REPLACE VIEW failed_checks AS
SELECT
    c.agency, c.year, c.rule, c.scope, c.passed, c.expected, c.found,
    c.found - c.expected AS difference,
    i.text AS identity, c.detail, c.path
FROM checks c
LEFT JOIN reports r ON r.agency = c.agency AND r.year = c.year
LEFT JOIN template_identities i
       ON i.version = r.template AND i.rule = c.rule AND i.scope = c.scope
WHERE c.passed IS DISTINCT FROM true
ORDER BY c.agency, c.year, c.rule, c.scope;

CREATE OR REPLACE VIEW latest_runs AS
SELECT
    run_id, kind, status, started_at, seconds, files_seen, files_new, files_changed,
    files_unchanged, files_missing, files_failed, reports_loaded, facts_loaded,
    reports_failed_checks, conflicts, flow_run_id, error
FROM ingestion_runs
ORDER BY started_at DESC;
