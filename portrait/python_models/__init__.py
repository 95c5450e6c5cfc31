"""The computations of Portrait's dbt Python models, one module per model (same name), on plain
arrays and rows: one implementation, two adapters. On DuckDB the dbt Python model
(models/<layer>/<name>.py) reads its inputs, calls the module and turns the rows into a relation;
on Spark, where dbt-spark runs Python models on Databricks only, a SQL model of the same name
(models/<layer>/spark/<name>.sql) streams its inputs through a script transformation to
portrait/spark_models/<name>.py, which calls the same function (see docs/spark.md)."""
