package dev.connectorgate.cli.chart;

import dev.connectorgate.capacity.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a plan against its connector's headroom as text for a terminal: time across, Mbps up, the plan's waves
 * stacked on the baseline and other rollouts' reservations, under a rule at the usable capacity.
 *
 * <p>Each column shows the stack at the worst instant within its time slice, so a short peak is never averaged away.
 * Each wave has its own glyph (and colour, when asked), so waves stay apart without colour too.
 */
public final class TerminalChart {
    /** Below these the axes and labels no longer fit; smaller requests are drawn at this size. */
    static final int MIN_WIDTH = 40;
    static final int MIN_HEIGHT = 6;
    /** Legend lines for waves before the rest are summed up in one line. */
    static final int MAX_LEGEND_WAVES = 12;

    private static final char BASELINE = '░';
    private static final char RESERVED = '╱';
    private static final char RULE = '━';
    private static final char[] WAVE_GLYPHS = {'█', '▓', '▚', '▞', '▙', '▛', '▜', '▟', '#', '%', '@', '&'};

    private static final String RESET = "\u001b[0m";
    private static final String BASELINE_COLOUR = "\u001b[38;5;250m";
    private static final String RESERVED_COLOUR = "\u001b[38;5;245m";
    private static final String RULE_COLOUR = "\u001b[1;38;5;196m";
    /** A qualitative palette in the 256-colour cube: blue, orange, green, purple, teal, yellow, pink, brown. */
    private static final String[] WAVE_COLOURS = {
        "\u001b[38;5;33m", "\u001b[38;5;208m", "\u001b[38;5;70m", "\u001b[38;5;134m",
        "\u001b[38;5;37m", "\u001b[38;5;220m", "\u001b[38;5;211m", "\u001b[38;5;137m",
    };

    /** Layer indices in a stack: see {@link ChartModel#stackAt(long)}. */
    private static final int EMPTY = -1;
    private static final int RULE_CELL = -2;
    private static final int BASELINE_LAYER = 0;
    private static final int RESERVED_LAYER = 1;

    private TerminalChart() {
    }

    /**
     * Renders the chart.
     *
     * @param width  columns of the widest line (axis labels included); at least {@value #MIN_WIDTH} is used
     * @param height rows of the plot area; title, axis, legend and summary come on top of these; at least
     *               {@value #MIN_HEIGHT} is used
     * @param color  whether to colour glyphs with ANSI escapes (256-colour)
     * @return lines separated by '\n', ending with one
     */
    public static String render(ChartInput in, int width, int height, boolean color) {
        ChartModel m = new ChartModel(in);
        int w = Math.max(MIN_WIDTH, width);
        int rows = Math.max(MIN_HEIGHT, height);

        // Vertical scale: room above the higher of the usable line and the peak, so the rule never sits on the top.
        double top = Math.max(1, Math.max(m.usableMbps, m.peakMbps) * 1.1);
        double rowMbps = top / rows;
        double yStep = Math.max(ChartModel.niceStep(top / Math.max(2, Math.min(6, rows / 3))),
                ChartModel.niceStep(2 * rowMbps));
        int ruleRow = Math.min(rows - 1, (int) Math.floor(Math.max(0, m.usableMbps) / rowMbps + 1e-9));
        String[] yLabels = new String[rows];
        int labelWidth = 1;
        for (int k = 0; k * yStep < top - 1e-9; k++) {
            int row = (int) Math.floor(k * yStep / rowMbps + 1e-9);
            // The rule row is named by its tag; a different tick there ("150 ┤━━ usable 160") would only confuse.
            boolean clashes = row == ruleRow && Math.abs(k * yStep - m.usableMbps) > 1e-9;
            if (row < rows && !clashes) {
                yLabels[row] = Numbers.fmt(k * yStep);
                labelWidth = Math.max(labelWidth, yLabels[row].length());
            }
        }
        String ruleTag = " usable " + Numbers.fmt(m.usableMbps);
        int left = labelWidth + 2;
        int plotWidth = w - left - ruleTag.length();
        double colMillis = (double) m.rangeMillis / plotWidth;

        int[][] cells = new int[rows][plotWidth];
        for (int c = 0; c < plotWidth; c++) {
            long from = (long) Math.floor(c * colMillis);
            long to = Math.max(from + 1, (long) Math.floor((c + 1) * colMillis));
            double[] stack = m.stackAt(m.worstInstant(from, to));
            for (int r = 0; r < rows; r++) {
                cells[r][c] = cellLayer(stack, r, rowMbps, r == ruleRow, m.usableMbps);
            }
        }

        StringBuilder out = new StringBuilder();
        out.append(truncate(sanitize(in.title()), w)).append('\n');
        out.append(" ".repeat(Math.max(0, labelWidth - 3))).append("Mbps").append('\n');
        for (int r = rows - 1; r >= 0; r--) {
            String label = yLabels[r] == null ? "" : yLabels[r];
            out.append(" ".repeat(labelWidth - label.length())).append(label)
                    .append(yLabels[r] == null ? " │" : " ┤");
            appendCells(out, cells[r], color);
            if (r == ruleRow) {
                out.append(paint(ruleTag, RULE_COLOUR, color));
            }
            out.append('\n');
        }
        appendTimeAxis(out, m, labelWidth, plotWidth, colMillis);
        appendLegend(out, m, w, color);
        out.append(truncate(m.summary(), w)).append('\n');
        return out.toString();
    }

    /**
     * Which layer fills row r: the one covering the row's middle. The rule row belongs to the rule unless the stack
     * really goes above the usable line, so a plan exactly at the line reads as under it, and any excess breaks it.
     */
    private static int cellLayer(double[] stack, int row, double rowMbps, boolean ruleRow, double usable) {
        double total = 0;
        for (double v : stack) {
            total += v;
        }
        double probe = ruleRow ? usable : (row + 0.5) * rowMbps;
        if (ruleRow && total <= usable + 1e-6) {
            return RULE_CELL;
        }
        double level = 0;
        for (int i = 0; i < stack.length; i++) {
            level += stack[i];
            if (probe < level) {
                return i;
            }
        }
        return EMPTY;
    }

    private static void appendCells(StringBuilder out, int[] row, boolean color) {
        int c = 0;
        while (c < row.length) {
            int layer = row[c];
            int end = c;
            while (end < row.length && row[end] == layer) {
                end++;
            }
            String run = String.valueOf(glyph(layer)).repeat(end - c);
            out.append(layer == EMPTY ? run : paint(run, colour(layer), color));
            c = end;
        }
    }

    private static char glyph(int layer) {
        return switch (layer) {
            case EMPTY -> ' ';
            case RULE_CELL -> RULE;
            case BASELINE_LAYER -> BASELINE;
            case RESERVED_LAYER -> RESERVED;
            default -> WAVE_GLYPHS[(layer - 2) % WAVE_GLYPHS.length];
        };
    }

    private static String colour(int layer) {
        return switch (layer) {
            case RULE_CELL -> RULE_COLOUR;
            case BASELINE_LAYER -> BASELINE_COLOUR;
            case RESERVED_LAYER -> RESERVED_COLOUR;
            default -> WAVE_COLOURS[(layer - 2) % WAVE_COLOURS.length];
        };
    }

    private static String paint(String s, String colour, boolean color) {
        return color ? colour + s + RESET : s;
    }

    /** The x axis with ticks at a 1-2-5 step wide enough that no two labels touch, then the labels themselves. */
    private static void appendTimeAxis(StringBuilder out, ChartModel m, int labelWidth, int plotWidth,
            double colMillis) {
        double rangeSeconds = Numbers.seconds(m.rangeMillis);
        int longest = Numbers.fmt(rangeSeconds).length();
        double step = ChartModel.niceStep(Math.max(rangeSeconds / 10, (longest + 3) * colMillis / 1000));
        char[] axis = "─".repeat(plotWidth).toCharArray();
        char[] labels = " ".repeat(plotWidth + 2).toCharArray();
        for (int k = 0; k * step <= rangeSeconds + 1e-9; k++) {
            int col = (int) Math.floor(k * step * 1000 / colMillis + 1e-9);
            if (col >= plotWidth) {
                break;
            }
            axis[col] = '┬';
            String text = Numbers.fmt(k * step);
            int start = Math.max(0, col - (text.length() - 1) / 2);
            if (start + text.length() <= labels.length) {
                text.getChars(0, text.length(), labels, start);
            }
        }
        out.append(" ".repeat(labelWidth + 1)).append('└').append(axis).append(" s").append('\n');
        out.append(" ".repeat(labelWidth + 2)).append(String.valueOf(labels).stripTrailing()).append('\n');
    }

    private static void appendLegend(StringBuilder out, ChartModel m, int width, boolean color) {
        List<ChartModel.WaveLayer> waves = m.waves;
        int shown = waves.size() <= MAX_LEGEND_WAVES ? waves.size() : MAX_LEGEND_WAVES - 1;
        for (int i = 0; i < shown; i++) {
            ChartModel.WaveLayer wave = waves.get(i);
            String head = " " + wave.label() + ": ";
            out.append(paint(String.valueOf(glyph(i + 2)), colour(i + 2), color)).append(head)
                    .append(sanitize(wave.services(width - 1 - head.length()))).append('\n');
        }
        if (shown < waves.size()) {
            int instances = 0;
            for (int i = shown; i < waves.size(); i++) {
                instances += waves.get(i).starts().stream().mapToInt(s -> s.instances()).sum();
            }
            out.append("… +").append(waves.size() - shown).append(" more waves (").append(instances)
                    .append(" instances) until ").append(Numbers.fmt(Numbers.seconds(m.input.plan().makespanMillis())))
                    .append(" s").append('\n');
        }
        List<String> keys = new ArrayList<>();
        keys.add(paint(String.valueOf(BASELINE), BASELINE_COLOUR, color) + " " + m.baselineLabel());
        if (m.reserved.maxFrom(0) > 0) {
            keys.add(paint(String.valueOf(RESERVED), RESERVED_COLOUR, color) + " " + m.reservedLabel());
        }
        keys.add(paint(String.valueOf(RULE), RULE_COLOUR, color) + " " + m.usableLabel());
        // Keys go on one line while they fit, else one a line; lengths are measured without the colour escapes.
        int plain = keys.stream().mapToInt(k -> visibleLength(k)).sum() + 3 * (keys.size() - 1);
        if (plain <= width) {
            out.append(String.join("   ", keys)).append('\n');
        } else {
            keys.forEach(k -> out.append(k).append('\n'));
        }
    }

    private static int visibleLength(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }

    /** Control characters in free text could move the cursor or recolour the terminal; show them as '?'. */
    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                sb.append('?');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
