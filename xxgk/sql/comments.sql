-- Comments on the loader's tables and views (schema.sql, views.sql) that those files do not
-- set: applied with sql/analyst.sql, so every table, view and column of the warehouse says what
-- it holds (the data dictionary reads them). Columns a view passes through from a table take
-- that table's comment (xxgk.analysis.reference.PASSED_THROUGH).

COMMENT ON TABLE warehouse_meta IS 'Facts about the warehouse file: schema_version (the table layout), duckdb_version (the DuckDB that last wrote it), storage_version (the file format: v1.0.0+ opens in DuckDB 1.0 and later).';
COMMENT ON COLUMN warehouse_meta.key IS 'schema_version, duckdb_version or storage_version.';
COMMENT ON COLUMN warehouse_meta.value IS 'Its value.';

COMMENT ON COLUMN source_files.path IS 'The raw file, relative to the raw folder, forward slashes.';
COMMENT ON COLUMN source_files.sha256 IS 'SHA-256 of the file''s bytes.';
COMMENT ON COLUMN source_files.size IS 'Size in bytes (with mtime_ns: the cheap "unchanged?" test).';
COMMENT ON COLUMN source_files.mtime_ns IS 'Modification time, nanoseconds since the epoch.';
COMMENT ON COLUMN source_files.encoding IS 'Text encoding the file was decoded with.';
COMMENT ON COLUMN source_files.encoding_method IS 'How the encoding was found.';
COMMENT ON COLUMN source_files.replaced_bytes IS 'Byte offsets (from 0) of the few bytes that did not decode in that encoding, each now one U+FFFD in the text; the report is kept. NULL when every byte decoded.';
COMMENT ON COLUMN source_files.status IS 'ok, checks_failed, incomplete, unsupported or error.';
COMMENT ON COLUMN source_files.error IS 'Why the file could not be read as a report, or (status incomplete) which rows its text lacks.';
COMMENT ON COLUMN source_files.agency IS 'The agency the file claims, if any.';
COMMENT ON COLUMN source_files.year IS 'The year the file claims, if any.';
COMMENT ON COLUMN source_files.template IS 'Template version recognised.';
COMMENT ON COLUMN source_files.flagged_cells IS 'Cells read with doubt.';
COMMENT ON COLUMN source_files.failed_checks IS 'Identity checks failed or undetermined.';
COMMENT ON COLUMN source_files.parser_version IS 'xxgk.PARSER_VERSION that read the file.';
COMMENT ON COLUMN source_files.missing IS 'True when the file has left the raw folder.';
COMMENT ON COLUMN source_files.first_seen IS 'When an ingest first saw the file.';
COMMENT ON COLUMN source_files.last_seen IS 'When the last run that wrote the warehouse saw the file (a night with nothing to write records itself in ingestion_runs only).';
COMMENT ON COLUMN source_files.changed_at IS 'When its content was last parsed.';
COMMENT ON COLUMN source_files.last_run_id IS 'The ingestion run that last touched it.';

COMMENT ON COLUMN reports.agency IS 'The reporting agency, as the report names it.';
COMMENT ON COLUMN reports.year IS 'The year the report covers.';
COMMENT ON COLUMN reports.template IS 'Template version (2019 or 2021); NULL for an unsupported report.';
COMMENT ON COLUMN reports.status IS 'ok, checks_failed, incomplete or unsupported.';
COMMENT ON COLUMN reports.agency_source IS 'Where the agency was read (title, header, file name...).';
COMMENT ON COLUMN reports.year_source IS 'Where the year was read.';
COMMENT ON COLUMN reports.parser_version IS 'xxgk.PARSER_VERSION that read the file.';
COMMENT ON COLUMN reports.path IS 'The raw file kept for this report (the conflict rule).';
COMMENT ON COLUMN reports.sha256 IS 'SHA-256 of that file''s bytes.';
COMMENT ON COLUMN reports.prose IS 'Prose parts by name: overview (一、总体情况), problems (五), other (六); full_text for an unsupported report.';
COMMENT ON COLUMN reports.fact_count IS 'Cells stored in facts.';
COMMENT ON COLUMN reports.flagged_cells IS 'Cells read with doubt.';
COMMENT ON COLUMN reports.check_count IS 'Identity checks run.';
COMMENT ON COLUMN reports.failed_checks IS 'Identity checks failed or undetermined.';
COMMENT ON COLUMN reports.loaded_at IS 'When the report was loaded.';
COMMENT ON COLUMN reports.run_id IS 'The ingestion run that loaded it.';

COMMENT ON COLUMN checks.agency IS 'The reporting agency.';
COMMENT ON COLUMN checks.year IS 'The year the report covers.';
COMMENT ON COLUMN checks.rule IS 'Identity rule id (I1-I4: template_identities).';
COMMENT ON COLUMN checks.scope IS 'The instance: applicant column, row or group.';
COMMENT ON COLUMN checks.passed IS 'True, false, or NULL when cells are undetermined.';
COMMENT ON COLUMN checks.expected IS 'Sum of the left side.';
COMMENT ON COLUMN checks.found IS 'Sum of the right side.';
COMMENT ON COLUMN checks.detail IS 'What the checker noted.';
COMMENT ON COLUMN checks.path IS 'The raw file.';
COMMENT ON COLUMN checks.sha256 IS 'SHA-256 of its bytes.';
COMMENT ON COLUMN checks.parser_version IS 'xxgk.PARSER_VERSION that read it.';

COMMENT ON COLUMN conflicts.agency IS 'The agency both files claim.';
COMMENT ON COLUMN conflicts.year IS 'The year both files claim.';
COMMENT ON COLUMN conflicts.kept_path IS 'The file kept for the report.';
COMMENT ON COLUMN conflicts.kept_sha256 IS 'Its SHA-256.';
COMMENT ON COLUMN conflicts.kept_status IS 'Its status.';
COMMENT ON COLUMN conflicts.other_path IS 'The file that lost.';
COMMENT ON COLUMN conflicts.other_sha256 IS 'Its SHA-256.';
COMMENT ON COLUMN conflicts.other_status IS 'Its status.';
COMMENT ON COLUMN conflicts.reason IS 'Why the kept file won (the conflict rule).';
COMMENT ON COLUMN conflicts.detected_at IS 'When the conflict was last computed.';
COMMENT ON COLUMN conflicts.run_id IS 'The run that computed it.';

COMMENT ON COLUMN ingestion_runs.run_id IS 'Run id.';
COMMENT ON COLUMN ingestion_runs.kind IS 'ingest or rebuild.';
COMMENT ON COLUMN ingestion_runs.raw_dir IS 'The raw folder read.';
COMMENT ON COLUMN ingestion_runs.status IS 'ok, failed, or abandoned (its process died: killed or out of memory); running only in a warehouse an older xxgk wrote.';
COMMENT ON COLUMN ingestion_runs.started_at IS 'When it started.';
COMMENT ON COLUMN ingestion_runs.finished_at IS 'When it ended.';
COMMENT ON COLUMN ingestion_runs.seconds IS 'How long it took, discover to last load.';
COMMENT ON COLUMN ingestion_runs.files_seen IS 'Files found in the raw folder.';
COMMENT ON COLUMN ingestion_runs.files_new IS 'Files never seen before.';
COMMENT ON COLUMN ingestion_runs.files_changed IS 'Files whose content changed.';
COMMENT ON COLUMN ingestion_runs.files_unchanged IS 'Files skipped unchanged.';
COMMENT ON COLUMN ingestion_runs.files_missing IS 'Files gone from the raw folder.';
COMMENT ON COLUMN ingestion_runs.files_failed IS 'Files that could not be read as reports.';
COMMENT ON COLUMN ingestion_runs.reports_loaded IS 'Reports (re)loaded.';
COMMENT ON COLUMN ingestion_runs.facts_loaded IS 'Facts (re)loaded.';
COMMENT ON COLUMN ingestion_runs.reports_failed_checks IS 'Loaded reports with failed checks.';
COMMENT ON COLUMN ingestion_runs.conflicts IS 'Conflicts in the warehouse after the run.';
COMMENT ON COLUMN ingestion_runs.parser_version IS 'xxgk.PARSER_VERSION of the run.';
COMMENT ON COLUMN ingestion_runs.flow_run_id IS 'The Prefect flow run id.';
COMMENT ON COLUMN ingestion_runs.error IS 'Why the run failed (terminated by SIGTERM: asked to stop), or which process died for an abandoned one.';

COMMENT ON COLUMN template_cells.version IS 'Template version.';
COMMENT ON COLUMN template_cells.code IS 'Cell code.';
COMMENT ON COLUMN template_cells.section IS 'Part of the report (二, 三, 四).';
COMMENT ON COLUMN template_cells.section_title IS 'The part''s printed title.';
COMMENT ON COLUMN template_cells.category IS 'The printed row label (with its group).';
COMMENT ON COLUMN template_cells.column_label IS 'The printed column header.';
COMMENT ON COLUMN template_cells.applicant_type IS 'Applicant column (part 三), else NULL.';
COMMENT ON COLUMN template_cells.unit IS 'Unit of the cell; empty: as the report prints it.';
COMMENT ON COLUMN template_cells.print_order IS 'Order the cell is printed in.';
COMMENT ON COLUMN template_identities.version IS 'Template version.';
COMMENT ON COLUMN template_identities.rule IS 'Rule id (I1-I4).';
COMMENT ON COLUMN template_identities.scope IS 'The instance: applicant column, row or group.';
COMMENT ON COLUMN template_identities.text IS 'The rule in the template''s words.';
COMMENT ON COLUMN template_identities.terms IS 'Cells the instance sums.';

COMMENT ON VIEW files IS 'Every raw file and its role: report, conflict (lost to another file), failed, missing or no report.';
COMMENT ON COLUMN files.role IS 'report, conflict, failed, missing or no report.';
COMMENT ON COLUMN files.lost_to IS 'For a conflict: the file kept instead.';
COMMENT ON COLUMN files.mtime IS 'Modification time as a timestamp.';
COMMENT ON VIEW problem_files IS 'Files that make no report, and missing files: failed, conflicts, missing.';
COMMENT ON VIEW report_summary IS 'One row per report with its counts and every total-column cell of parts 三 and 四 by code (BIGINT; report_headline has the figures in users'' words, harmonised).';
COMMENT ON VIEW facts_by_code IS 'Per code, column, year and unit (never a sum across units): how many reports, with values, flagged, and sum/mean/min/max of the values.';
COMMENT ON COLUMN facts_by_code.reports IS 'Reports with this cell.';
COMMENT ON COLUMN facts_by_code.with_value IS 'Reports where the cell has a value.';
COMMENT ON COLUMN facts_by_code.flagged IS 'Reports where the cell was read with doubt.';
COMMENT ON COLUMN facts_by_code.total IS 'Sum of the values.';
COMMENT ON COLUMN facts_by_code.mean IS 'Mean of the values.';
COMMENT ON COLUMN facts_by_code.min IS 'Smallest value.';
COMMENT ON COLUMN facts_by_code.max IS 'Largest value.';
COMMENT ON VIEW failed_checks IS 'Checks that failed or could not run, with the identity''s text and the difference.';
COMMENT ON COLUMN failed_checks.difference IS 'found - expected.';
COMMENT ON COLUMN failed_checks.identity IS 'The identity in the template''s words.';
COMMENT ON VIEW latest_runs IS 'Ingestion runs, newest first.';
