package org.ewarn.warehouse;

/** A second process for the lock tests: takes a warehouse's lock, says so, and holds it until killed. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    RunLock lock = Warehouse.open(args[0]).lock(args[1], "lock test child");
    System.out.println("held " + lock.holder());
    System.out.flush();
    Thread.sleep(600_000);
  }
}
