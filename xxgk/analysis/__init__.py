"""What analysts get on top of the loader's tables: reference tables and views built from the
template data (reference, sql/analyst.sql), the data dictionary, the export and the HTML report.

Applied to the warehouse by xxgk.load.schema after its own views (`reference.apply`).
"""
