package org.ewarn.backtest;

import java.util.List;
import org.ewarn.SparkTest;
import org.ewarn.model.ElasticNetSettings;
import org.junit.jupiter.api.Test;

class AnnualProtocolSpeedProbe extends SparkTest {
  @Test
  void probe() {
    List<String> features = EwpFixture.header().stream().map(EwpFixture::normalise)
        .filter(c -> !List.of("ewp_name", "year", "ccode", "mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2").contains(c))
        .toList();
    System.err.println("features " + features.size());
    CountryYears panel = CountryYears.collect(EwpFixture.predictors(spark()), "ewp_name", features, "mk_onset_1or2", "mk_onset");
    long t0 = System.nanoTime();
    List<Forecast> f = AnnualProtocol.forecasts("elastic_net", panel, new AnnualProtocol.Window(1991, 2021, 2, 1994),
        AnnualProtocol.elasticNet(ElasticNetSettings.ewp(20250101)));
    System.err.println("fits ms " + (System.nanoTime() - t0) / 1e6 + " forecasts " + f.size());
    List<Warning> w = AnnualProtocol.warnings("elastic_net", f, panel, new AnnualProtocol.Window(1991, 2021, 2, 1994));
    System.err.println("warnings " + w.size() + " first " + w.get(0));
  }
}
