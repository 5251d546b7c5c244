package org.ewarn.reports;

import java.util.List;
import java.util.Map;

/**
 * What a render did.
 *
 * @param edition the edition rendered (the risk marts' vintage)
 * @param directory {@code <out>/reports/<year>/<edition>}; locations are plain paths on local disk,
 *     URIs on other stores
 * @param written PDFs written by this run (each with a {@code .sha256} beside it)
 * @param unchanged PDFs already published with identical content: this run left them alone
 * @param pages page count per written file name
 * @param indexMarkdown the index of editions and files, also as {@code indexHtml}
 * @param notes sections rendered as "no data" pages, and why
 * @param marts where the marts were read: the warehouse, and the run whose marts they are
 */
public record RenderResult(
    String edition,
    String directory,
    List<String> written,
    List<String> unchanged,
    Map<String, Integer> pages,
    String indexMarkdown,
    String indexHtml,
    List<String> notes,
    String marts) {

  public RenderResult {
    written = List.copyOf(written);
    unchanged = List.copyOf(unchanged);
    pages = Map.copyOf(pages);
    notes = List.copyOf(notes);
    marts = marts == null ? "" : marts;
  }
}
