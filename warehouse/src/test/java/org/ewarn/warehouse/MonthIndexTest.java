package org.ewarn.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class MonthIndexTest {
  @Test
  void monthsAreConsecutiveNumbers() {
    assertThat(MonthIndex.of(2024, 2)).isEqualTo(2024 * 12 + 1).isEqualTo(24289);
    assertThat(MonthIndex.of(1989, 1)).isEqualTo(23868);
    assertThat(MonthIndex.of(YearMonth.of(1989, 12)) + 1).isEqualTo(MonthIndex.of(1990, 1));
    assertThat(MonthIndex.month(24289)).isEqualTo(YearMonth.of(2024, 2));
    assertThat(MonthIndex.label(MonthIndex.of(2021, 6))).isEqualTo("2021-06");
    assertThat(MonthIndex.parse("2021-06") - MonthIndex.parse("2020-09")).isEqualTo(9);
    for (int i = 23_000; i < 24_400; i++) {
      assertThat(MonthIndex.parse(MonthIndex.label(i))).isEqualTo(i);
    }
  }

  @Test
  void notAMonthIsRefusedNamingIt() {
    assertThatThrownBy(() -> MonthIndex.parse("2021-13")).hasMessageContaining("'2021-13' is not a month");
    assertThatThrownBy(() -> MonthIndex.parse("June 2021")).hasMessageContaining("June 2021");
    assertThatThrownBy(() -> MonthIndex.of(2021, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
