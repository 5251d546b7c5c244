package org.ewarn.warehouse;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** One real HDFS (NameNode and DataNode in this JVM) for all tests of the fork, started on first use. */
final class Hdfs {
  private static MiniDFSCluster cluster;
  private static final AtomicInteger ROOTS = new AtomicInteger();

  private Hdfs() {}

  static synchronized Configuration conf() {
    if (cluster == null) {
      Configuration conf = new Configuration();
      File base = new File("target/hdfs-" + ProcessHandle.current().pid()).getAbsoluteFile();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
      conf.setInt("dfs.replication", 1);
      try {
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the mini HDFS", e);
      }
      MiniDFSCluster started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
    }
    return new Configuration(cluster.getConfiguration(0));
  }

  /** A fresh, empty folder on the cluster, as a URI such as {@code hdfs://localhost:40123/t7-name}. */
  static String root(String name) {
    conf();
    return cluster.getURI() + "/t" + ROOTS.incrementAndGet() + "-" + name;
  }
}
