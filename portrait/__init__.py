"""Portrait: the Python side of the customer profile platform (raw files, dbt-duckdb plugin)."""
