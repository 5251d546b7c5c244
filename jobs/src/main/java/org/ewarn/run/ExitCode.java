package org.ewarn.run;

/** Process exit codes, part of the contract with schedulers (cron, Airflow, Kubernetes). */
public enum ExitCode {
  OK(0),
  FAILURE(1),
  USAGE_OR_CONFIG(2),
  QUALITY_GATE(3),
  LOCKED(4);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
