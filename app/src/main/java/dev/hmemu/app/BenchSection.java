package dev.hmemu.app;

import java.util.List;

/**
 * A group of {@code hmemu bench} figures measured together.
 *
 * @param key     the section's JSON key and {@code --parts} name
 * @param title   a heading for the text report
 * @param figures its figures
 * @param notes   counts and settings behind the figures (one line each)
 */
record BenchSection(String key, String title, List<BenchFigure> figures, List<String> notes) {
}
