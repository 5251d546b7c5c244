package org.ewarn.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The unweighted average of member models' risks (EWP's ensemble idea: no member's quirks
 * dominate). A row gets a risk only when every member scores it.
 */
public final class EnsembleRiskModel implements RiskModel {
  private final String id;
  private final List<RiskModel> members;

  public EnsembleRiskModel(String id, List<RiskModel> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    this.id = id;
    this.members = List.copyOf(members);
  }

  @Override
  public String id() {
    return id;
  }

  public List<RiskModel> members() {
    return members;
  }

  public List<String> memberIds() {
    return members.stream().map(RiskModel::id).toList();
  }

  @Override
  public FittedRiskModel fit(Dataset<Row> train, ModelInputs inputs) {
    List<FittedRiskModel> fitted = new ArrayList<>();
    for (RiskModel m : members) {
      fitted.add(m.fit(train, inputs));
    }
    return combine(id, fitted);
  }

  /** The ensemble of members already fitted on the same rows (the forecast fits each model once). */
  public static Fitted combine(String id, List<FittedRiskModel> fitted) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("algorithm", "unweighted_average");
    meta.put("members", String.join(",", fitted.stream().map(FittedRiskModel::modelId).toList()));
    Set<String> features = new LinkedHashSet<>();
    for (FittedRiskModel f : fitted) {
      String fs = f.metadata().get("features");
      if (fs != null) {
        features.addAll(List.of(fs.split(",")));
      }
      f.metadata().forEach((k, v) -> {
        if (List.of("outcome", "seed", "training_years", "training_rows").contains(k)) {
          meta.putIfAbsent(k, v);
        }
      });
    }
    meta.put("features", String.join(",", features));
    return new Fitted(id, fitted, meta);
  }

  /** Members and their average. */
  public static final class Fitted implements FittedRiskModel, RowScorer {
    private final String id;
    private final List<FittedRiskModel> members;
    private final Map<String, String> metadata;

    Fitted(String id, List<FittedRiskModel> members, Map<String, String> metadata) {
      this.id = id;
      this.members = List.copyOf(members);
      this.metadata = Map.copyOf(metadata);
    }

    @Override
    public String modelId() {
      return id;
    }

    /**
     * Scores each member on the rows tagged with a row number and averages by it, so members that
     * add or drop columns cannot misalign rows.
     */
    @Override
    public Dataset<Row> score(Dataset<Row> rows) {
      Dataset<Row> tagged = rows.withColumn("_ensemble_row", org.apache.spark.sql.functions.monotonically_increasing_id())
          .cache();
      Dataset<Row> result = tagged;
      Column sum = lit(0.0);
      for (int i = 0; i < members.size(); i++) {
        String c = "_member_" + i;
        Dataset<Row> scored = members.get(i).score(tagged).select(col("_ensemble_row"), col("risk").as(c));
        result = result.join(scored, "_ensemble_row");
        sum = sum.plus(col(c));
      }
      Dataset<Row> out = result.withColumn("risk", sum.divide(members.size()));
      for (int i = 0; i < members.size(); i++) {
        out = out.drop("_member_" + i);
      }
      return out.drop("_ensemble_row");
    }

    /**
     * As {@link #score}: a risk only when every member gives one, summed from 0.0 in member order
     * and divided by the count, as the Spark column is. Throws if a member has no in-memory scorer.
     */
    @Override
    public Double risk(Row row) {
      double sum = 0.0;
      for (FittedRiskModel m : members) {
        Double r = RowScorer.of(m).orElseThrow(() -> new IllegalStateException(m.modelId() + " scores only in Spark"))
            .risk(row);
        if (r == null) {
          return null;
        }
        sum = sum + r;
      }
      return sum / members.size();
    }

    /** {@link #risk} of each row, every member scoring the rows as one batch. */
    @Override
    public List<Double> risks(List<Row> rows) {
      double[] sum = new double[rows.size()];
      boolean[] missing = new boolean[rows.size()];
      for (FittedRiskModel m : members) {
        List<Double> r = RowScorer.of(m).orElseThrow(() -> new IllegalStateException(m.modelId() + " scores only in Spark"))
            .risks(rows);
        for (int i = 0; i < sum.length; i++) {
          if (r.get(i) == null) {
            missing[i] = true;
          } else {
            sum[i] = sum[i] + r.get(i);
          }
        }
      }
      List<Double> out = new ArrayList<>(rows.size());
      for (int i = 0; i < sum.length; i++) {
        out.add(missing[i] ? null : sum[i] / members.size());
      }
      return out;
    }

    /** Whether every member scores in memory. */
    boolean scoresInMemory() {
      return members.stream().allMatch(m -> m instanceof Fitted f ? f.scoresInMemory() : m instanceof RowScorer);
    }

    @Override
    public Map<String, String> metadata() {
      return metadata;
    }

    @Override
    public void save(Path dir) {
      for (FittedRiskModel m : members) {
        StoredModel.save(m, dir.resolve("members").resolve(m.modelId()), Map.of());
      }
      StoredModel.writeMetadata(dir, this, Map.of());
    }

    public static Fitted load(Path dir) {
      Map<String, String> meta = new LinkedHashMap<>(StoredModel.readMetadata(dir));
      meta.remove(StoredModel.CLASS_KEY);
      String id = meta.remove("model");
      List<FittedRiskModel> members = new ArrayList<>();
      for (String member : meta.get("members").split(",")) {
        Path memberDir = dir.resolve("members").resolve(member);
        if (!Files.isDirectory(memberDir)) {
          throw new UncheckedIOException(new IOException("ensemble member missing: " + memberDir));
        }
        members.add(StoredModel.load(memberDir));
      }
      return new Fitted(id, members, meta);
    }
  }
}
