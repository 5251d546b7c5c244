package org.ewarn.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Arrays;
import net.sf.jasperreports.engine.JRElement;
import net.sf.jasperreports.engine.design.JRDesignTextField;
import net.sf.jasperreports.engine.design.JasperDesign;
import net.sf.jasperreports.engine.xml.JRXmlLoader;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  @Test
  void everyAppendixCompilesInBothDirections() {
    for (Appendix a : Appendix.values()) {
      assertThat(Templates.compiled(a.template, false).getName()).isEqualTo(a.template);
      assertThat(Templates.compiled(a.template, true).getName()).isEqualTo(a.template);
    }
  }

  @Test
  void rightToLeftPutsTheFirstColumnAtTheRightEdge() throws Exception {
    JasperDesign design;
    try (InputStream in = Templates.class.getResourceAsStream(Templates.DIR + "A_ranking.jrxml")) {
      design = JRXmlLoader.load(in);
    }
    JRElement rank = rankHeader(design);
    assertThat(rank.getX()).isZero();
    int width = rank.getWidth();
    Templates.mirror(design);
    assertThat(rankHeader(design).getX()).isEqualTo(design.getColumnWidth() - width);
  }

  private static JRElement rankHeader(JasperDesign design) {
    return Arrays.stream(design.getColumnHeader().getElements())
        .filter(e -> e instanceof JRDesignTextField t && t.getExpression().getText().equals("$R{col.rank}"))
        .findFirst().orElseThrow();
  }
}
