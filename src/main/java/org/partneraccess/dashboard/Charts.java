package org.partneraccess.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of the dashboard's pictures, computed here so that the page only draws rectangles and text: inline SVG,
 * no script, readable when printed.
 */
public final class Charts {

    public static final String HUMAN = "#3f63b5";
    public static final String MACHINE = "#e8882f";
    public static final String EXPIRY = "#c0392b";
    public static final String REVIEW = "#2e86de";
    public static final String PARTNERSHIP = "#5b8c5a";

    private Charts() {
    }

    /** A part of a bar: its value, colour, what it means and where it links. */
    public record Segment(long value, String color, String title, String href, int x, int width) {
    }

    /** One labelled, possibly stacked, horizontal bar. */
    public record Row(String label, long total, int y, int textY, int endX, List<Segment> segments) {
    }

    public record HorizontalChart(int width, int height, int labelWidth, List<Row> rows) {
    }

    /** A bar of a column chart. */
    public record Column(long value, String color, String title, int x, int y, int width, int height) {
    }

    /** A labelled group of columns (a week). */
    public record Group(String label, int labelX, List<Column> columns) {
    }

    public record ColumnChart(int width, int height, int baseline, List<Group> groups) {
    }

    /** What a row of a horizontal chart is made of, before layout. */
    public record RowData(String label, List<SegmentData> segments) {
    }

    public record SegmentData(long value, String color, String title, String href) {
    }

    static final int ROW_HEIGHT = 22;
    static final int BAR_HEIGHT = 16;
    static final int LABEL_WIDTH = 120;
    static final int BAR_AREA = 360;

    static HorizontalChart horizontal(List<RowData> data) {
        long max = Math.max(1, data.stream().mapToLong(row -> row.segments().stream()
                .mapToLong(SegmentData::value).sum()).max().orElse(1));
        List<Row> rows = new ArrayList<>();
        int y = 4;
        for (RowData row : data) {
            int x = LABEL_WIDTH;
            long total = 0;
            List<Segment> segments = new ArrayList<>();
            for (SegmentData segment : row.segments()) {
                int width = (int) Math.round((double) segment.value() * BAR_AREA / max);
                if (segment.value() > 0) {
                    segments.add(new Segment(segment.value(), segment.color(), segment.title(), segment.href(), x,
                            Math.max(width, 1)));
                    x += Math.max(width, 1);
                }
                total += segment.value();
            }
            rows.add(new Row(row.label(), total, y, y + BAR_HEIGHT - 4, x, segments));
            y += ROW_HEIGHT;
        }
        return new HorizontalChart(LABEL_WIDTH + BAR_AREA + 60, y + 4, LABEL_WIDTH, rows);
    }

    static final int COLUMN_WIDTH = 14;
    static final int GROUP_WIDTH = 48;
    static final int COLUMN_AREA = 120;

    /**
     * Groups of columns side by side, scaled to the highest column; {@code values[g][c]} is column c of group g.
     */
    static ColumnChart columns(List<String> labels, long[][] values, List<String> colors, List<String> titles) {
        long max = 1;
        for (long[] group : values) {
            for (long value : group) {
                max = Math.max(max, value);
            }
        }
        int top = 16;
        int baseline = top + COLUMN_AREA;
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < labels.size(); g++) {
            int left = 8 + g * GROUP_WIDTH;
            List<Column> columns = new ArrayList<>();
            for (int c = 0; c < values[g].length; c++) {
                int height = (int) Math.round((double) values[g][c] * COLUMN_AREA / max);
                if (values[g][c] > 0) {
                    height = Math.max(height, 1);
                }
                columns.add(new Column(values[g][c], colors.get(c), titles.get(c) + ": " + values[g][c],
                        left + c * (COLUMN_WIDTH + 2), baseline - height, COLUMN_WIDTH, height));
            }
            groups.add(new Group(labels.get(g), left, columns));
        }
        return new ColumnChart(16 + labels.size() * GROUP_WIDTH, baseline + 20, baseline, groups);
    }
}
