"""Airflow DAG: ewarn nightly on a Spark cluster through spark-submit (client mode).

Build the thin jar once per release:  mvn -B -Pthin -pl jobs -am package -DskipTests
and install the project folder (conf/, notebooks-exports/, the thin jar) on the Airflow workers at
EWARN_HOME. The warehouse and output roots must be storage every executor can reach.

Exit codes of the job (the task fails on any non-zero code):
  1 failure            -> retried: a re-run resumes at the failed stage
  2 configuration      -> fix the configuration; retries will fail the same way
  3 data-quality gate  -> data owner must look; previous outputs stay published
  4 locked             -> another nightly run holds the warehouse lock; retry later
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

EWARN_HOME = "/opt/ewarn"
VERSION = "0.1.0-SNAPSHOT"

with DAG(
    dag_id="ewarn_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one night at a time; ewarn's own lock is the second line of defence
    default_args={"retries": 2, "retry_delay": timedelta(minutes=20)},
    tags=["ewarn"],
) as dag:
    nightly = SparkSubmitOperator(
        task_id="ewarn_nightly",
        conn_id="spark_default",  # spark://master:7077, yarn or k8s://...
        application=f"{EWARN_HOME}/jobs/target/ewarn-jobs-{VERSION}-thin.jar",
        java_class="org.ewarn.cli.Ewarn",
        deploy_mode="client",  # the driver's exit code reaches Airflow; it reads conf/ from EWARN_HOME
        application_args=[
            "nightly",
            "--run-date", "{{ ds }}",  # the logical date of the Airflow run
            "--set", "spark.profile=cluster",
            "--set", "warehouse.root=/shared/ewarn/warehouse",
            "--set", "output.root=/shared/ewarn/out",
        ],
        conf={"spark.driver.extraJavaOptions": f"-Dewarn.home={EWARN_HOME}"},
        env_vars={"EWARN_HOME": EWARN_HOME},
        executor_memory="4g",
        total_executor_cores=8,
        name="ewarn-nightly-{{ ds }}",
        verbose=False,
    )
