package org.ewarn.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ewarn.config.Settings;
import org.junit.jupiter.api.Test;

class ExportContractTest {
  private static final Path DIR = Settings.home().resolve("notebooks-exports");

  /** CONTRACT.md documents exactly the rows of dictionary.csv, which the export code reads. */
  @Test
  void contractDocumentListsExactlyTheDictionary() throws IOException {
    ExportContract contract = ExportContract.read(DIR.resolve("dictionary.csv"));
    List<String> fromDictionary = new ArrayList<>();
    contract.tables().forEach((table, columns) -> columns.forEach(c -> fromDictionary.add(
        String.join(" | ", table, c.name(), c.type(), c.unit(), c.key() ? "yes" : "no", c.meaning()))));

    List<String> fromDocument = new ArrayList<>();
    String table = null;
    for (String line : Files.readAllLines(DIR.resolve("CONTRACT.md"))) {
      if (line.startsWith("### ")) {
        table = line.substring(4).trim();
      } else if (table != null && line.startsWith("| ") && !line.startsWith("| column ")) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
          cells.add(cell.trim());
        }
        fromDocument.add(table + " | " + String.join(" | ", cells));
      }
    }
    assertThat(fromDocument).containsExactlyElementsOf(fromDictionary);
  }

  @Test
  void everyMartOfTheContractIsInTheMartsDocument() throws IOException {
    String marts = Files.readString(Settings.home().resolve("jobs/MARTS.md"));
    ExportContract contract = ExportContract.read(DIR.resolve("dictionary.csv"));
    assertThat(contract.tables().keySet()).allSatisfy(t -> assertThat(marts).contains("`" + t + "`"));
    // patterns document the mart's dynamic columns, e.g. share_above_0_025
    assertThat(contract.columns("backtest_metrics"))
        .anyMatch(c -> c.matches("share_above_0_025") && c.isPattern());
  }
}
