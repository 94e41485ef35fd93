-- Analyst views across agencies and years, over facts and the analyst reference tables that
-- xxgk.analysis.reference builds from the template data (analysis_codes, template_cross_year,
-- template_applicants, headline_figures, prose_patterns, money_units) and data/agency_aliases.csv
-- (agency_aliases). Applied after views.sql on every writing connect. Counts are BIGINT; amounts
-- keep their printed unit beside the value normalised to one unit; no view sums across units.
-- Placeholders filled from analysis.toml: HEADLINE_COLUMNS, HEADLINE_NAMES, amount_in_money_unit.

CREATE OR REPLACE VIEW agency_names AS
SELECT r.agency, r.year,
       coalesce(a.canonical, r.agency) AS canonical_agency,
       a.canonical IS NOT NULL OR r.agency IN (SELECT canonical FROM agency_aliases) AS mapped
FROM reports r
LEFT JOIN agency_aliases a
       ON a.alias = r.agency
      AND r.year BETWEEN coalesce(a.first_year, r.year) AND coalesce(a.last_year, r.year)
QUALIFY row_number() OVER (PARTITION BY r.agency, r.year ORDER BY a.canonical) = 1;

CREATE OR REPLACE VIEW unmapped_agencies AS
SELECT agency, min(year) AS first_year, max(year) AS last_year, count(*)::BIGINT AS reports
FROM agency_names
WHERE NOT mapped
GROUP BY agency
ORDER BY agency;

CREATE OR REPLACE VIEW facts_harmonised AS
SELECT n.canonical_agency, f.agency, f.year, f.template,
       c.harmonised_code AS code, f.applicant_type,
       any_value(c.outcome_group) AS outcome_group,
       any_value(c.outcome_label) AS outcome_label,
       -- undetermined if a cell it sums is; a blank or unprinted cell counts as 0, as in the
       -- template's identities
       CASE WHEN bool_or(f.value IS NULL AND NOT coalesce(k.descriptive, false)) THEN NULL
            ELSE coalesce(sum(f.value), 0) END::BIGINT AS value,
       count(*)::BIGINT AS cells
FROM facts f
JOIN analysis_codes c ON c.version = f.template AND c.code = f.code AND c.kind = 'count'
LEFT JOIN flag_kinds k ON k.kind = split_part(f.flag, ':', 1)
JOIN agency_names n ON n.agency = f.agency AND n.year = f.year
GROUP BY n.canonical_agency, f.agency, f.year, f.template, c.harmonised_code, f.applicant_type;

CREATE OR REPLACE VIEW amounts AS
SELECT n.canonical_agency, f.agency, f.year, f.template, f.code, c.description,
       f.value AS amount_as_printed, f.unit AS unit_as_printed, f.raw,
       f.value * m.factor AS amount_in_money_unit, f.flag
FROM facts f
JOIN analysis_codes c ON c.version = f.template AND c.code = f.code AND c.kind = 'amount'
JOIN agency_names n ON n.agency = f.agency AND n.year = f.year
LEFT JOIN money_units m ON m.unit = f.unit;

CREATE OR REPLACE VIEW report_headline AS
WITH x AS (
    SELECT x.*, h.name
    FROM facts_harmonised x
    JOIN headline_figures h ON x.code GLOB h.code_pattern
    LEFT JOIN template_applicants a
           ON a.version = x.template AND a.applicant_type = x.applicant_type
    WHERE x.applicant_type IS NULL OR a.is_total
), figures AS (
    SELECT r.agency, n.canonical_agency, r.year, r.template, r.status,
        /*HEADLINE_COLUMNS*/
        r.path
    FROM reports r
    JOIN agency_names n ON n.agency = r.agency AND n.year = r.year
    LEFT JOIN x ON x.agency = r.agency AND x.year = r.year
    GROUP BY r.agency, n.canonical_agency, r.year, r.template, r.status, r.path
)
SELECT
    * EXCLUDE (path),
    granted / nullif(decided, 0) AS share_granted,
    withheld / nullif(decided, 0) AS share_withheld,
    reviews_corrected / nullif(reviews_upheld + reviews_corrected + reviews_other, 0)
        AS share_reviews_corrected,
    path
FROM figures
ORDER BY canonical_agency, year;

CREATE OR REPLACE VIEW headline_long AS
SELECT canonical_agency, agency, year, figure, value::BIGINT AS value
FROM (SELECT canonical_agency, agency, year, /*HEADLINE_NAMES*/ FROM report_headline)
UNPIVOT INCLUDE NULLS (value FOR figure IN (/*HEADLINE_NAMES*/));

CREATE OR REPLACE VIEW outcome_mix AS
SELECT canonical_agency, year, outcome_group, any_value(outcome_label) AS outcome_label,
       sum(value)::BIGINT AS requests,
       sum(value) / sum(sum(value)) OVER (PARTITION BY canonical_agency, year) AS share
FROM facts_harmonised x
JOIN template_applicants a ON a.version = x.template AND a.applicant_type = x.applicant_type
WHERE a.is_total AND outcome_group IS NOT NULL
GROUP BY canonical_agency, year, outcome_group
ORDER BY canonical_agency, year, outcome_group;

CREATE OR REPLACE VIEW applicant_mix AS
SELECT canonical_agency, year, x.applicant_type, any_value(a.position) AS position,
       sum(value)::BIGINT AS received_new,
       sum(value) / sum(sum(value)) OVER (PARTITION BY canonical_agency, year) AS share
FROM facts_harmonised x
JOIN headline_figures h ON h.name = 'received_new' AND x.code GLOB h.code_pattern
JOIN template_applicants a ON a.version = x.template AND a.applicant_type = x.applicant_type
WHERE NOT a.is_total
GROUP BY canonical_agency, year, x.applicant_type
ORDER BY canonical_agency, year, position;

CREATE OR REPLACE VIEW year_over_year AS
WITH s AS (
    SELECT canonical_agency, year, figure,
           CASE WHEN bool_or(value IS NULL) THEN NULL ELSE sum(value) END::BIGINT AS value
    FROM headline_long GROUP BY ALL
)
SELECT s.canonical_agency, s.year, s.figure, s.value,
       p.value AS previous_value,
       s.value - p.value AS change,
       (s.value - p.value) / nullif(p.value, 0) AS change_share
FROM s
LEFT JOIN s p ON p.canonical_agency = s.canonical_agency AND p.figure = s.figure
             AND p.year = s.year - 1
ORDER BY s.canonical_agency, s.figure, s.year;

CREATE OR REPLACE VIEW series_gaps AS
WITH span AS (
    SELECT canonical_agency, min(year) AS first_year, max(year) AS last_year
    FROM agency_names GROUP BY canonical_agency
)
SELECT s.canonical_agency, y.missing_year, s.first_year, s.last_year
FROM span s,
     LATERAL (SELECT unnest(range(s.first_year, s.last_year + 1))::INTEGER AS missing_year) y
WHERE NOT EXISTS (SELECT 1 FROM agency_names n WHERE n.canonical_agency = s.canonical_agency
                  AND n.year = y.missing_year)
ORDER BY s.canonical_agency, y.missing_year;

CREATE OR REPLACE VIEW cross_year_checks AS
WITH f AS (
    SELECT n.canonical_agency, f.agency, f.year, f.template, f.code, f.applicant_type, f.value
    FROM facts f JOIN agency_names n ON n.agency = f.agency AND n.year = f.year
)
SELECT r.rule, r.text, t.canonical_agency, t.year, t.agency, p.agency AS previous_agency,
       t.applicant_type, r.target AS code,
       (p.value + CASE WHEN r.plus IS NULL THEN 0 ELSE plus.value END
                - CASE WHEN r.minus IS NULL THEN 0 ELSE minus.value END)::BIGINT AS expected,
       t.value::BIGINT AS found,
       found - expected AS difference,
       found = expected AS passed
FROM template_cross_year r
JOIN f t ON t.template = r.version AND t.code = r.target
JOIN f p ON p.canonical_agency = t.canonical_agency AND p.year = t.year - 1
        AND p.code = r.source AND p.applicant_type IS NOT DISTINCT FROM t.applicant_type
LEFT JOIN f plus ON plus.agency = t.agency AND plus.year = t.year AND plus.code = r.plus
        AND plus.applicant_type IS NOT DISTINCT FROM t.applicant_type
LEFT JOIN f minus ON minus.agency = t.agency AND minus.year = t.year AND minus.code = r.minus
        AND minus.applicant_type IS NOT DISTINCT FROM t.applicant_type
ORDER BY t.canonical_agency, t.year, r.rule, r.target, t.applicant_type;

CREATE OR REPLACE VIEW cross_year_breaks AS
SELECT * EXCLUDE (passed) FROM cross_year_checks WHERE passed = false;

CREATE OR REPLACE VIEW prose_numbers AS
WITH x AS (
    SELECT r.agency, r.year, p.name, p.words, p.figure,
           nullif(regexp_extract(r.prose[p.prose_part], p.pattern, 1), '') AS printed
    FROM reports r CROSS JOIN prose_patterns p
)
SELECT n.canonical_agency, x.agency, x.year, x.name, x.words, x.printed,
       replace(x.printed, ',', '')::BIGINT AS prose_value,
       x.figure, h.value AS table_value,
       CASE WHEN x.figure IS NOT NULL THEN prose_value IS NOT DISTINCT FROM h.value END AS agrees
FROM x
JOIN agency_names n ON n.agency = x.agency AND n.year = x.year
LEFT JOIN headline_long h ON h.agency = x.agency AND h.year = x.year AND h.figure = x.figure
WHERE x.printed IS NOT NULL
ORDER BY n.canonical_agency, x.year, x.name;

CREATE OR REPLACE VIEW prose_vs_table AS
SELECT * EXCLUDE (agrees) FROM prose_numbers WHERE figure IS NOT NULL AND NOT agrees;

CREATE OR REPLACE VIEW report_quality AS
WITH flags AS (
    SELECT agency, year, map(list(kind ORDER BY kind), list(n ORDER BY kind)) AS flags_by_kind
    FROM (SELECT agency, year, split_part(flag, ':', 1) AS kind, count(*)::BIGINT AS n
          FROM facts WHERE flag IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
), failed AS (
    SELECT agency, year, list(rule || ' ' || coalesce(scope, '') ORDER BY rule, scope)
               AS failed_rules
    FROM checks WHERE passed IS DISTINCT FROM true GROUP BY ALL
)
SELECT r.agency, n.canonical_agency, r.year, r.template, r.status,
       r.failed_checks::BIGINT AS failed_checks, failed.failed_rules,
       r.flagged_cells::BIGINT AS flagged_cells, flags.flags_by_kind,
       r.fact_count::BIGINT AS facts, r.path, r.sha256
FROM reports r
JOIN agency_names n ON n.agency = r.agency AND n.year = r.year
LEFT JOIN flags ON flags.agency = r.agency AND flags.year = r.year
LEFT JOIN failed ON failed.agency = r.agency AND failed.year = r.year
ORDER BY n.canonical_agency, r.year;

-- ---- comments: every analyst table, view and column (the data dictionary reads them) ----------
COMMENT ON TABLE analysis_codes IS 'Every cell code of every template version with its harmonised code (the same figure in 2019 and 2021), kind (count or amount), outcome group and an English description read off the code. Built from xxgk/template.';
COMMENT ON COLUMN analysis_codes.version IS 'Template version the code belongs to.';
COMMENT ON COLUMN analysis_codes.code IS 'Template cell code as in facts.code.';
COMMENT ON COLUMN analysis_codes.harmonised_code IS 'The code compared across versions: a row one version splits (2021 s3.other.*) takes the code of the row another version prints once (2019 s3.other).';
COMMENT ON COLUMN analysis_codes.kind IS 'count (件, 项: integers) or amount (money, normalised in the amounts view).';
COMMENT ON COLUMN analysis_codes.outcome_group IS 'For the outcome rows summed into the decided total: the headline figure they make (granted, partially_granted, withheld, unavailable, not_handled, other_handled); else NULL.';
COMMENT ON COLUMN analysis_codes.outcome_label IS 'The outcome group as the template prints it (予以公开, 不予公开, ...).';
COMMENT ON COLUMN analysis_codes.description IS 'English description, the code''s own words.';
COMMENT ON TABLE template_cross_year IS 'Cross-year rules (跨年度) of each template version: target this year = source last year (+ plus − minus this year). From the template data.';
COMMENT ON COLUMN template_cross_year.version IS 'Template version of this year''s report.';
COMMENT ON COLUMN template_cross_year.rule IS 'Rule id: X1 (carried balance, per applicant column) or X2 (rules in force).';
COMMENT ON COLUMN template_cross_year.text IS 'The rule in the template''s words.';
COMMENT ON COLUMN template_cross_year.target IS 'Code of this year''s cell the rule predicts.';
COMMENT ON COLUMN template_cross_year.source IS 'Code of last year''s cell it starts from.';
COMMENT ON COLUMN template_cross_year.plus IS 'Code of this year''s cell added, if any.';
COMMENT ON COLUMN template_cross_year.minus IS 'Code of this year''s cell subtracted, if any.';
COMMENT ON TABLE template_applicants IS 'Applicant columns of part 三 per template version, in print order; the total column is printed last.';
COMMENT ON COLUMN template_applicants.version IS 'Template version.';
COMMENT ON COLUMN template_applicants.applicant_type IS 'Applicant column header as printed.';
COMMENT ON COLUMN template_applicants.position IS 'Print order, from 0.';
COMMENT ON COLUMN template_applicants.is_total IS 'True for the total column (总计).';
COMMENT ON TABLE headline_figures IS 'The headline figures of report_headline, in users'' words, and the harmonised codes each sums (from xxgk/template/analysis.toml).';
COMMENT ON COLUMN headline_figures.position IS 'Column order in report_headline.';
COMMENT ON COLUMN headline_figures.name IS 'Column name in report_headline.';
COMMENT ON COLUMN headline_figures.code_pattern IS 'Glob pattern of the harmonised codes summed.';
COMMENT ON COLUMN headline_figures.words IS 'What the figure counts.';
COMMENT ON TABLE prose_patterns IS 'Numbers the prose of a report states, how to find them (RE2) and the headline figure holding the same number (from analysis.toml).';
COMMENT ON COLUMN prose_patterns.name IS 'Name of the stated number.';
COMMENT ON COLUMN prose_patterns.prose_part IS 'Key of reports.prose searched (overview = 总体情况).';
COMMENT ON COLUMN prose_patterns.pattern IS 'Regular expression; its first group is the number.';
COMMENT ON COLUMN prose_patterns.figure IS 'The report_headline figure compared with it; NULL when no table cell holds it.';
COMMENT ON COLUMN prose_patterns.words IS 'What the number is, in the report''s words.';
COMMENT ON TABLE money_units IS 'Printed money units and their factor into the one unit amounts are normalised to (analysis.toml).';
COMMENT ON COLUMN money_units.unit IS 'Unit as printed.';
COMMENT ON COLUMN money_units.factor IS 'Multiplier from the printed unit into to_unit.';
COMMENT ON COLUMN money_units.to_unit IS 'The unit every amount is normalised to.';
COMMENT ON TABLE agency_aliases IS 'Agency alias CSV (agency_aliases.csv beside the warehouse file): an alias printed in the given years is the canonical agency.';
COMMENT ON COLUMN agency_aliases.canonical IS 'The one name the views use.';
COMMENT ON COLUMN agency_aliases.alias IS 'A name a report prints.';
COMMENT ON COLUMN agency_aliases.first_year IS 'First year the alias applies (NULL: from the start).';
COMMENT ON COLUMN agency_aliases.last_year IS 'Last year the alias applies (NULL: to this day).';

COMMENT ON VIEW agency_names IS 'Each report''s agency and its canonical name (agency_aliases), and whether the alias CSV knows it.';
COMMENT ON COLUMN agency_names.agency IS 'The agency as the report names it.';
COMMENT ON COLUMN agency_names.year IS 'The year the report covers.';
COMMENT ON COLUMN agency_names.canonical_agency IS 'The canonical name: the alias CSV''s, else the printed one.';
COMMENT ON COLUMN agency_names.mapped IS 'True when the alias CSV lists the name (as alias or canonical).';
COMMENT ON VIEW unmapped_agencies IS 'Agencies the alias CSV does not list, with the years they report: candidates for agency_aliases.csv.';
COMMENT ON COLUMN unmapped_agencies.agency IS 'The agency as printed.';
COMMENT ON COLUMN unmapped_agencies.first_year IS 'First year it reports.';
COMMENT ON COLUMN unmapped_agencies.last_year IS 'Last year it reports.';
COMMENT ON COLUMN unmapped_agencies.reports IS 'Reports under this name.';
COMMENT ON VIEW facts_harmonised IS 'Count cells under their harmonised code (2021''s three s3.other.* rows summed into s3.other), BIGINT; a sum with an undetermined cell is NULL.';
COMMENT ON COLUMN facts_harmonised.canonical_agency IS 'Canonical agency (agency_names).';
COMMENT ON COLUMN facts_harmonised.agency IS 'The agency as printed.';
COMMENT ON COLUMN facts_harmonised.year IS 'The year the report covers.';
COMMENT ON COLUMN facts_harmonised.template IS 'Template version of the report.';
COMMENT ON COLUMN facts_harmonised.code IS 'Harmonised code (analysis_codes.harmonised_code).';
COMMENT ON COLUMN facts_harmonised.applicant_type IS 'Applicant column; NULL for cells without one.';
COMMENT ON COLUMN facts_harmonised.outcome_group IS 'Outcome group of an outcome row, else NULL.';
COMMENT ON COLUMN facts_harmonised.outcome_label IS 'Outcome group as printed.';
COMMENT ON COLUMN facts_harmonised.value IS 'The count (件 or 项), BIGINT; NULL when a cell summed is undetermined.';
COMMENT ON COLUMN facts_harmonised.cells IS 'Template cells summed (1, or 3 for 2021 s3.other).';
COMMENT ON VIEW amounts IS 'Money cells as printed and normalised to one unit (money_units); never summed across units.';
COMMENT ON COLUMN amounts.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN amounts.agency IS 'The agency as printed.';
COMMENT ON COLUMN amounts.year IS 'The year the report covers.';
COMMENT ON COLUMN amounts.template IS 'Template version.';
COMMENT ON COLUMN amounts.code IS 'Template cell code.';
COMMENT ON COLUMN amounts.description IS 'English description of the code.';
COMMENT ON COLUMN amounts.amount_as_printed IS 'The amount in the unit the report prints.';
COMMENT ON COLUMN amounts.unit_as_printed IS 'The unit the report prints (元 or 万元).';
COMMENT ON COLUMN amounts.raw IS 'The cell text as printed.';
COMMENT ON COLUMN amounts.amount_in_money_unit IS 'The amount normalised to the unit in the column name; NULL for an unknown unit.';
COMMENT ON COLUMN amounts.flag IS 'Why the amount is NULL or doubtful.';
COMMENT ON VIEW headline_long IS 'report_headline''s figures, one row per report and figure (BIGINT).';
COMMENT ON COLUMN headline_long.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN headline_long.agency IS 'The agency as printed.';
COMMENT ON COLUMN headline_long.year IS 'The year the report covers.';
COMMENT ON COLUMN headline_long.figure IS 'Headline figure name (headline_figures.name).';
COMMENT ON COLUMN headline_long.value IS 'Its value; NULL when undetermined.';
COMMENT ON VIEW outcome_mix IS 'Requests decided per outcome group, per canonical agency and year (total column), with each group''s share of the decided.';
COMMENT ON COLUMN outcome_mix.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN outcome_mix.year IS 'The year.';
COMMENT ON COLUMN outcome_mix.outcome_group IS 'Outcome group (analysis_codes.outcome_group).';
COMMENT ON COLUMN outcome_mix.outcome_label IS 'Outcome group as printed.';
COMMENT ON COLUMN outcome_mix.requests IS 'Requests with this outcome (BIGINT; undetermined cells count as missing).';
COMMENT ON COLUMN outcome_mix.share IS 'requests / sum of requests over the groups of that agency-year.';
COMMENT ON VIEW applicant_mix IS 'New requests received per applicant column (total column left out), per canonical agency and year, with shares.';
COMMENT ON COLUMN applicant_mix.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN applicant_mix.year IS 'The year.';
COMMENT ON COLUMN applicant_mix.applicant_type IS 'Applicant column as printed.';
COMMENT ON COLUMN applicant_mix.position IS 'Print order of the column.';
COMMENT ON COLUMN applicant_mix.received_new IS 'New requests from this kind of applicant (BIGINT).';
COMMENT ON COLUMN applicant_mix.share IS 'received_new / sum over the applicant columns.';
COMMENT ON VIEW year_over_year IS 'Each headline figure per canonical agency and year beside the previous year''s (NULL when that year is missing: see series_gaps).';
COMMENT ON COLUMN year_over_year.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN year_over_year.year IS 'The year.';
COMMENT ON COLUMN year_over_year.figure IS 'Headline figure name.';
COMMENT ON COLUMN year_over_year.value IS 'This year''s value.';
COMMENT ON COLUMN year_over_year.previous_value IS 'The value of year - 1.';
COMMENT ON COLUMN year_over_year.change IS 'value - previous_value.';
COMMENT ON COLUMN year_over_year.change_share IS 'change / previous_value (NULL when previous_value is 0).';
COMMENT ON VIEW series_gaps IS 'Years missing inside a canonical agency''s series (between its first and last report).';
COMMENT ON COLUMN series_gaps.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN series_gaps.missing_year IS 'A year without a report.';
COMMENT ON COLUMN series_gaps.first_year IS 'First year with a report.';
COMMENT ON COLUMN series_gaps.last_year IS 'Last year with a report.';
COMMENT ON VIEW cross_year_checks IS 'Every cross-year rule (template_cross_year) applied to every agency-year whose previous year is loaded: expected from last year, found this year.';
COMMENT ON COLUMN cross_year_checks.rule IS 'X1 or X2.';
COMMENT ON COLUMN cross_year_checks.text IS 'The rule in the template''s words.';
COMMENT ON COLUMN cross_year_checks.canonical_agency IS 'Canonical agency (series are joined on it).';
COMMENT ON COLUMN cross_year_checks.year IS 'This year.';
COMMENT ON COLUMN cross_year_checks.agency IS 'This year''s agency as printed.';
COMMENT ON COLUMN cross_year_checks.previous_agency IS 'Last year''s agency as printed.';
COMMENT ON COLUMN cross_year_checks.applicant_type IS 'Applicant column (X1), NULL for X2.';
COMMENT ON COLUMN cross_year_checks.code IS 'The target code checked.';
COMMENT ON COLUMN cross_year_checks.expected IS 'Last year''s source (+ plus − minus): what this year should print.';
COMMENT ON COLUMN cross_year_checks.found IS 'What this year prints.';
COMMENT ON COLUMN cross_year_checks.difference IS 'found - expected.';
COMMENT ON COLUMN cross_year_checks.passed IS 'found = expected; NULL when a cell is undetermined.';
COMMENT ON VIEW cross_year_breaks IS 'The cross_year_checks that fail: every agency-year breaking X1 or X2, with both numbers.';
COMMENT ON COLUMN cross_year_breaks.rule IS 'X1 or X2.';
COMMENT ON COLUMN cross_year_breaks.text IS 'The rule in the template''s words.';
COMMENT ON COLUMN cross_year_breaks.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN cross_year_breaks.year IS 'This year.';
COMMENT ON COLUMN cross_year_breaks.agency IS 'This year''s agency as printed.';
COMMENT ON COLUMN cross_year_breaks.previous_agency IS 'Last year''s agency as printed.';
COMMENT ON COLUMN cross_year_breaks.applicant_type IS 'Applicant column (X1), NULL for X2.';
COMMENT ON COLUMN cross_year_breaks.code IS 'The target code checked.';
COMMENT ON COLUMN cross_year_breaks.expected IS 'What last year implies.';
COMMENT ON COLUMN cross_year_breaks.found IS 'What this year prints.';
COMMENT ON COLUMN cross_year_breaks.difference IS 'found - expected.';
COMMENT ON VIEW prose_numbers IS 'Numbers the prose states (prose_patterns), beside the table''s headline figure.';
COMMENT ON COLUMN prose_numbers.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN prose_numbers.agency IS 'The agency as printed.';
COMMENT ON COLUMN prose_numbers.year IS 'The year.';
COMMENT ON COLUMN prose_numbers.name IS 'Which stated number (prose_patterns.name).';
COMMENT ON COLUMN prose_numbers.words IS 'What it is.';
COMMENT ON COLUMN prose_numbers.printed IS 'The number as the prose prints it.';
COMMENT ON COLUMN prose_numbers.prose_value IS 'The number (BIGINT).';
COMMENT ON COLUMN prose_numbers.figure IS 'The headline figure compared; NULL when no table cell holds it.';
COMMENT ON COLUMN prose_numbers.table_value IS 'The table''s figure.';
COMMENT ON COLUMN prose_numbers.agrees IS 'prose_value = table_value (NULL when nothing to compare).';
COMMENT ON VIEW prose_vs_table IS 'Prose numbers that differ from the table.';
COMMENT ON COLUMN prose_vs_table.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN prose_vs_table.agency IS 'The agency as printed.';
COMMENT ON COLUMN prose_vs_table.year IS 'The year.';
COMMENT ON COLUMN prose_vs_table.name IS 'Which stated number.';
COMMENT ON COLUMN prose_vs_table.words IS 'What it is.';
COMMENT ON COLUMN prose_vs_table.printed IS 'As the prose prints it.';
COMMENT ON COLUMN prose_vs_table.prose_value IS 'The number the prose states.';
COMMENT ON COLUMN prose_vs_table.figure IS 'The headline figure compared.';
COMMENT ON COLUMN prose_vs_table.table_value IS 'The number the table holds (NULL: undetermined).';
COMMENT ON VIEW report_quality IS 'Data quality per report: status, failed checks (rule and scope), flagged cells by kind, the file.';
COMMENT ON COLUMN report_quality.agency IS 'The agency as printed.';
COMMENT ON COLUMN report_quality.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN report_quality.year IS 'The year.';
COMMENT ON COLUMN report_quality.template IS 'Template version.';
COMMENT ON COLUMN report_quality.status IS 'ok, checks_failed, incomplete or unsupported.';
COMMENT ON COLUMN report_quality.failed_checks IS 'Identity checks failed or undetermined.';
COMMENT ON COLUMN report_quality.failed_rules IS 'Those checks as rule and scope.';
COMMENT ON COLUMN report_quality.flagged_cells IS 'Cells read with doubt.';
COMMENT ON COLUMN report_quality.flags_by_kind IS 'Flagged or undetermined cells per flag kind (the flag up to its colon).';
COMMENT ON COLUMN report_quality.facts IS 'Cells stored.';
COMMENT ON COLUMN report_quality.path IS 'The raw file.';
COMMENT ON COLUMN report_quality.sha256 IS 'SHA-256 of its bytes.';
COMMENT ON VIEW report_headline IS 'One row per report: the headline figures in users'' words (BIGINT, harmonised across 2019 and 2021) and the rates defined once here.';
COMMENT ON COLUMN report_headline.agency IS 'The agency as printed.';
COMMENT ON COLUMN report_headline.canonical_agency IS 'Canonical agency.';
COMMENT ON COLUMN report_headline.year IS 'The year the report covers.';
COMMENT ON COLUMN report_headline.template IS 'Template version.';
COMMENT ON COLUMN report_headline.status IS 'ok, checks_failed, incomplete or unsupported.';
COMMENT ON COLUMN report_headline.share_granted IS 'granted / decided.';
COMMENT ON COLUMN report_headline.share_withheld IS 'withheld / decided.';
COMMENT ON COLUMN report_headline.share_reviews_corrected IS 'reviews_corrected / (reviews_upheld + reviews_corrected + reviews_other): corrected among concluded reviews.';
COMMENT ON COLUMN report_headline.path IS 'The raw file.';
