package org.ewarn.model;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ewarn.config.Settings;
import org.ewarn.io.SparkMarts;
import org.ewarn.warehouse.Warehouse;
import org.ewarn.run.SparkSessions;

/**
 * Where the forecast's fit time goes: fits every enabled model for one edition on a warehouse and
 * prints wall seconds, Spark jobs, stages, tasks and executor CPU per model. Not a test.
 *
 * <pre>
 *   java -cp jobs/target/test-classes:jobs/target/classes:jobs/target/lib/* org.ewarn.model.FitProfile \
 *     WAREHOUSE_ROOT [edition] [--set key=value ...]
 * </pre>
 */
public final class FitProfile {
  private FitProfile() {}

  static final class Counts extends SparkListener {
    final Map<String, AtomicLong[]> byGroup = new ConcurrentHashMap<>();
    final Map<Integer, String> stageGroup = new ConcurrentHashMap<>();

    AtomicLong[] of(String g) {
      return byGroup.computeIfAbsent(g == null ? "-" : g,
          k -> new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()});
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      String g = e.properties().getProperty("spark.jobGroup.id");
      of(g)[0].incrementAndGet();
      scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds()).forEach(s -> stageGroup.put((Integer) s, g == null ? "-" : g));
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
      of(stageGroup.get(e.stageInfo().stageId()))[1].incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      String g = stageGroup.get(e.stageId());
      of(g)[2].incrementAndGet();
      if (e.taskMetrics() != null) {
        of(g)[3].addAndGet(e.taskMetrics().executorCpuTime() / 1_000_000L);
      }
    }
  }

  /** One MLlib fit as PipelineRiskModel does it, with the estimator given; returns the trained stage. */
  static org.apache.spark.ml.Transformer fitWith(Dataset<Row> train, ModelInputs used,
      org.apache.spark.ml.classification.ProbabilisticClassifier<?, ?, ?> model) {
    Dataset<Row> rows = TrainingSummary.completeCases(train, used, true)
        .withColumn("label", col(used.outcome()).cast("double"));
    org.apache.spark.ml.feature.VectorAssembler assembler = new org.apache.spark.ml.feature.VectorAssembler()
        .setInputCols(used.features().toArray(String[]::new)).setOutputCol("features_vector");
    model.setFeaturesCol("features_vector");
    model.setLabelCol("label");
    model.setProbabilityCol("probability_vector");
    model.setRawPredictionCol("raw_prediction_vector");
    model.setPredictionCol("predicted_label");
    return new org.apache.spark.ml.Pipeline().setStages(new org.apache.spark.ml.PipelineStage[] {assembler, model})
        .fit(rows).stages()[1];
  }

  static String timed(String label, Counts counts, SparkSession spark, java.util.function.Supplier<String> fit) {
    spark.sparkContext().setJobGroup(label, label, false);
    long t0 = System.nanoTime();
    long cpu0 = cpu();
    String out = fit.get();
    double s = (System.nanoTime() - t0) / 1e9;
    double c = (cpu() - cpu0) / 1e9;
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AtomicLong[] k = counts.of(label);
    System.err.printf("%-28s %7.1f s  process cpu %6.1f s  jobs %5d  stages %5d  executor cpu %6.1f s  model %08x%n",
        label, s, c, k[0].get(), k[1].get(), k[3].get() / 1e3, out.hashCode());
    return out;
  }

  static void variants(SparkSession spark, Dataset<Row> train, ModelInputs inputs, Settings settings, Counts counts) {
    PipelineRiskModel.RandomForest rf = new PipelineRiskModel.RandomForest(300, 8, 5, "sqrt", 1.0);
    PipelineRiskModel.GradientBoostedTrees gbt = new PipelineRiskModel.GradientBoostedTrees(60, 3, 0.1, 0.8);
    long seed = inputs.seed();
    String g0 = timed("gbt warm-up", counts, spark, () -> fitWith(train, inputs, gbt.build(seed)).toString()
        + ((org.apache.spark.ml.classification.GBTClassificationModel) fitWith(train, inputs, gbt.build(seed))).toDebugString());
    String g1 = timed("gbt", counts, spark, () ->
        ((org.apache.spark.ml.classification.GBTClassificationModel) fitWith(train, inputs, gbt.build(seed))).toDebugString());
    String r1 = timed("rf", counts, spark, () ->
        ((org.apache.spark.ml.classification.RandomForestClassificationModel) fitWith(train, inputs, rf.build(seed))).toDebugString());
    String r2 = timed("rf cacheNodeIds", counts, spark, () -> ((org.apache.spark.ml.classification.RandomForestClassificationModel)
        fitWith(train, inputs, ((org.apache.spark.ml.classification.RandomForestClassifier) rf.build(seed)).setCacheNodeIds(true)))
        .toDebugString());
    System.err.println("rf cacheNodeIds identical: " + r1.equals(r2));
    try {
      spark.sparkContext().setCheckpointDir(java.nio.file.Files.createTempDirectory("ewarn-ckpt").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String g2 = timed("gbt checkpointed", counts, spark, () ->
        ((org.apache.spark.ml.classification.GBTClassificationModel) fitWith(train, inputs, gbt.build(seed))).toDebugString());
    System.err.println("gbt checkpointed identical: " + g1.equals(g2) + " (warm-up identical " + g0.endsWith(g1) + ")");
    String r3 = timed("rf cacheNodeIds checkpointed", counts, spark, () -> ((org.apache.spark.ml.classification.RandomForestClassificationModel)
        fitWith(train, inputs, ((org.apache.spark.ml.classification.RandomForestClassifier) rf.build(seed)).setCacheNodeIds(true)))
        .toDebugString());
    System.err.println("rf cacheNodeIds checkpointed identical: " + r1.equals(r3));
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    int edition = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 2025;
    List<String> sets = new ArrayList<>(List.of("warehouse.root=" + root));
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--set")) {
        sets.add(args[++i]);
      }
    }
    Settings settings = Settings.load(Settings.home(), null, sets);
    ForecastConfig cfg = ForecastConfig.from(settings);
    List<RiskModel> models = ModelRegistry.enabled(settings);
    long s0 = System.nanoTime();
    SparkSession spark = SparkSessions.start(settings.sparkProfile(), "fit profile");
    Counts counts = new Counts();
    spark.sparkContext().addSparkListener(counts);
    System.err.printf("spark start %.1f s%n", (System.nanoTime() - s0) / 1e9);
    Warehouse wh = Warehouse.open(root.toString());
    Dataset<Row> panel = ForecastAction.withKeys(SparkMarts.read(spark, wh.require(ForecastAction.PANEL))).cache();
    panel.count();
    Dataset<Row> train = panel.where(col("year").leq(edition - cfg.twoYearGap())).cache();
    System.err.printf("train rows %d, partitions %d%n", train.count(), train.rdd().getNumPartitions());
    ModelInputs inputs = new ModelInputs(cfg.features(), cfg.twoYearOutcome(), cfg.seed());
    if (Boolean.getBoolean("profile.variants")) {
      variants(spark, train, inputs, settings, counts);
      spark.stop();
      return;
    }
    int rounds = Integer.getInteger("profile.rounds", 1);
    for (int round = 0; round < rounds; round++)
    for (RiskModel m : models) {
      if (m instanceof EnsembleRiskModel) {
        continue;
      }
      spark.sparkContext().setJobGroup(m.id(), m.id(), false);
      long t0 = System.nanoTime();
      long cpu0 = cpu();
      m.fit(train, inputs);
      double s = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (cpu() - cpu0) / 1e9;
      try {
        Thread.sleep(300); // listener bus catches up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      AtomicLong[] c = counts.of(m.id());
      System.err.printf("%-24s %7.1f s  process cpu %6.1f s  jobs %5d  stages %5d  tasks %6d  executor cpu %7.1f s%n",
          m.id(), s, cpuSeconds, c[0].get(), c[1].get(), c[2].get(), c[3].get() / 1e3);
    }
    spark.stop();
  }
}
