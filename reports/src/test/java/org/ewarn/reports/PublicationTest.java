package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.ewarn.warehouse.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render killed between the steps of a publish (ledger entry, PDF, {@code .sha256}) is completed
 * by the next one under the names an uninterrupted render uses; files the ledger never listed are
 * left alone.
 */
class PublicationTest {
  static final LocalDate DAY = LocalDate.of(2026, 12, 3);
  static final String V01 = "A_en_2026-12-03_v01.pdf";
  @TempDir Path out;

  Publication open() {
    return new Publication(Storage.open(out.toString()), 2026, "2025");
  }

  Path edition() {
    return out.resolve("reports/2026/2025");
  }

  static byte[] pdf(String text) {
    return ("%PDF-1.7 " + text).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void killAfterThePdfBeforeItsShaIsUndoneAndPublishedAgainUnderTheSameVersion() throws Exception {
    open().publish("A", "en", "hash-1", pdf("killed"), 3, "run-1", DAY);
    Files.delete(edition().resolve(V01 + ".sha256")); // the kill came before the .sha256

    Publication reopened = open();
    assertThat(reopened.entries()).isEmpty();
    assertThat(edition().resolve(V01)).doesNotExist();
    assertThat(reopened.isCurrent("A", "en", "hash-1")).isFalse();

    Publication.Entry again = reopened.publish("A", "en", "hash-1", pdf("restarted"), 3, "run-1", DAY);
    assertThat(again.file()).isEqualTo(V01);
    assertThat(Files.readString(edition().resolve(V01))).isEqualTo("%PDF-1.7 restarted");
    assertThat(open().entries()).containsExactly(again);
  }

  @Test
  void killAfterTheLedgerBeforeThePdfIsUndone() throws Exception {
    open().publish("A", "en", "hash-1", pdf("killed"), 3, "run-1", DAY);
    Files.delete(edition().resolve(V01));
    Files.delete(edition().resolve(V01 + ".sha256")); // the ledger listed it, nothing else was written

    assertThat(open().entries()).isEmpty();
    assertThat(Files.readString(edition().resolve(Publication.LEDGER))).doesNotContain(V01);
    assertThat(open().publish("A", "en", "hash-1", pdf("restarted"), 3, "run-1", DAY).version()).isEqualTo(1);
  }

  @Test
  void aCompletePublishSurvivesReopeningAndTheNextChangeIsVersionTwo() {
    Publication.Entry first = open().publish("A", "en", "hash-1", pdf("one"), 3, "run-1", DAY);
    Publication reopened = open();
    assertThat(reopened.entries()).containsExactly(first);
    assertThat(reopened.isCurrent("A", "en", "hash-1")).isTrue();
    assertThat(reopened.publish("A", "en", "hash-2", pdf("two"), 3, "run-2", DAY).file())
        .isEqualTo("A_en_2026-12-03_v02.pdf");
  }

  @Test
  void aFileTheLedgerNeverListedIsRefusedAndNotRecordedSoItIsNeverRemoved() throws Exception {
    Files.createDirectories(edition());
    Files.writeString(edition().resolve(V01), "someone else's file");

    assertThatThrownBy(() -> open().publish("A", "en", "hash-1", pdf("new"), 3, "run-1", DAY))
        .isInstanceOf(RenderFailure.class)
        .hasMessageContaining("refusing to overwrite published file").hasMessageContaining(V01);
    assertThat(open().entries()).isEmpty();
    assertThat(Files.readString(edition().resolve(V01))).isEqualTo("someone else's file");
  }
}
