package org.ewarn.reports;

import java.nio.file.Path;
import java.util.List;

/** A render's result on local disk, as paths: what the tests open and list. */
final class Rendered {
  private Rendered() {}

  static Path directory(RenderResult r) {
    return Path.of(r.directory());
  }

  static List<Path> written(RenderResult r) {
    return r.written().stream().map(Path::of).toList();
  }

  static List<Path> unchanged(RenderResult r) {
    return r.unchanged().stream().map(Path::of).toList();
  }

  static Path indexMarkdown(RenderResult r) {
    return Path.of(r.indexMarkdown());
  }

  static Path indexHtml(RenderResult r) {
    return Path.of(r.indexHtml());
  }
}
