package org.ewarn.reports;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** Manual run: renders the fixtures into target/smoke for looking at the pages. */
final class SmokeRender {
  public static void main(String[] args) {
    Path base = Path.of(args.length > 0 ? args[0] : "target/smoke").toAbsolutePath();
    Path wh = base.resolve("warehouse");
    if (!java.nio.file.Files.exists(wh)) {
      new MartFixtures().publishAll(wh);
    }
    List<String> langs = args.length > 1 ? List.of(args[1].split(",")) : List.of("en", "zh");
    RenderResult r = new RenderAction(new RenderConfig(wh.toString(), base.resolve("out").toString(), langs, "latest", 0,
        LocalDate.of(2026, 11, 26), "smoke-run", "", 30, "dev")).execute();
    System.out.println(r);
  }
}
