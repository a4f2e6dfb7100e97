package dev.connectorgate.cli.chart;

import dev.connectorgate.capacity.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a plan against its connector's headroom as a standalone SVG (900×420): stacked areas for baseline, other
 * rollouts' reservations and each wave, the usable capacity as a dashed line and the connector's raw capacity as a
 * faint one, with axes, a legend and a tooltip per wave listing its services.
 *
 * <p>The document needs nothing outside itself (no fonts, scripts or links), so it can be attached to a build log or
 * opened from disk as it is.
 */
public final class SvgChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    private static final double PLOT_LEFT = 64;
    private static final double PLOT_RIGHT = 672;
    private static final double PLOT_TOP = 64;
    private static final double PLOT_BOTTOM = 360;
    private static final double LEGEND_LEFT = 692;
    private static final double LEGEND_ROW = 17;
    /** Characters of a legend line before it is cut; about what fits in the legend column at 11 px. */
    private static final int LEGEND_CHARS = 30;
    /** The same for the smaller second line that lists a wave's services. */
    private static final int SERVICES_CHARS = 32;
    private static final int TITLE_CHARS = 95;
    /** Average advance of an 11 px sans-serif character, for placing labels without measuring fonts. */
    private static final double APPROX_CHAR_PX = 6.2;

    /** Tableau 10 without its red and grey, which the usable line and the muted bands need to themselves. */
    private static final String[] WAVE_COLOURS = {
        "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f",
    };
    private static final String BASELINE_FILL = "#cfd8dc";
    private static final String USABLE_COLOUR = "#d62728";
    private static final String CONNECTOR_COLOUR = "#9e9e9e";
    private static final String INK = "#333333";
    private static final String MUTED_INK = "#666666";
    /** A white outline painted under the glyphs: labels stay legible where they cross bars or lines. */
    private static final String HALO = "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\""
            + " paint-order=\"stroke\"";

    private SvgChart() {
    }

    /** Renders the chart as a complete SVG document (with XML declaration). */
    public static String render(ChartInput in) {
        ChartModel m = new ChartModel(in);
        Frame f = new Frame(m);
        StringBuilder svg = new StringBuilder(16_384);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\"")
                .append(" font-size=\"12\" fill=\"").append(INK).append("\">\n");
        svg.append("<title>").append(esc(in.title())).append("</title>\n");
        svg.append("<desc>").append(esc(m.summary() + ". Headroom now " + Numbers.fmt(in.capacity().headroomNowMbps())
                + " Mbps = " + in.capacity().explainHeadroom() + ".")).append("</desc>\n");
        svg.append("<defs><pattern id=\"cg-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\"")
                .append(" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eceff1\"/>")
                .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#90a4ae\" stroke-width=\"2.5\"/>")
                .append("</pattern></defs>\n");
        svg.append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#ffffff\"/>\n");
        text(svg, PLOT_LEFT, 28, "title", "font-size=\"16\" font-weight=\"600\"", cut(in.title(), TITLE_CHARS));
        text(svg, PLOT_LEFT, 46, "summary", "fill=\"" + (m.overUsable() ? USABLE_COLOUR : MUTED_INK) + "\"",
                m.summary());

        grid(svg, f);
        bands(svg, m, f);
        markers(svg, m, f);
        capacityLines(svg, m, f);
        axes(svg, m, f);
        legend(svg, m);
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The scales: time to x, Mbps to y, with tick steps of the 1-2-5 series. */
    private static final class Frame {
        final double rangeMillis;
        final double topMbps;
        final double yStep;
        final double xStepSeconds;

        Frame(ChartModel m) {
            rangeMillis = m.rangeMillis;
            double high = Math.max(1, Math.max(m.connectorMbps, Math.max(m.usableMbps, m.peakMbps)) * 1.08);
            yStep = ChartModel.niceStep(high / 5);
            topMbps = Math.ceil(high / yStep - 1e-9) * yStep;
            xStepSeconds = ChartModel.niceStep(Numbers.seconds(m.rangeMillis) / 8);
        }

        double x(double millis) {
            return PLOT_LEFT + millis / rangeMillis * (PLOT_RIGHT - PLOT_LEFT);
        }

        double y(double mbps) {
            return PLOT_BOTTOM - mbps / topMbps * (PLOT_BOTTOM - PLOT_TOP);
        }
    }

    private static void grid(StringBuilder svg, Frame f) {
        svg.append("<g class=\"grid\" stroke=\"#eeeeee\" stroke-width=\"1\">\n");
        for (int k = 1; k * f.yStep <= f.topMbps + 1e-9; k++) {
            double y = f.y(k * f.yStep);
            line(svg, PLOT_LEFT, y, PLOT_RIGHT, y, "");
        }
        svg.append("</g>\n");
    }

    /**
     * The stacked areas, one interval between consecutive breakpoints at a time. Neighbouring intervals where a layer
     * keeps its bottom and height are merged into one rectangle, so a wave is a few shapes, not a sliver per change.
     */
    private static void bands(StringBuilder svg, ChartModel m, Frame f) {
        if (m.baselineMbps > 0) {
            svg.append("<g class=\"baseline\" fill=\"").append(BASELINE_FILL).append("\">");
            rect(svg, f, 0, m.rangeMillis, 0, m.baselineMbps, m.baselineLabel() + " (traffic no plan accounts for)");
            svg.append("</g>\n");
        }
        int layers = 2 + m.waves.size();
        List<List<double[]>> shapes = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            shapes.add(new ArrayList<>());
        }
        for (int b = 0; b < m.breakpoints.length; b++) {
            long from = m.breakpoints[b];
            long to = b + 1 < m.breakpoints.length ? m.breakpoints[b + 1] : m.rangeMillis;
            double[] stack = m.stackAt(from);
            double level = stack[0];
            for (int i = 1; i < layers; i++) {
                if (stack[i] > 0) {
                    List<double[]> own = shapes.get(i);
                    double[] last = own.isEmpty() ? null : own.get(own.size() - 1);
                    if (last != null && last[1] == from && last[2] == level && last[3] == stack[i]) {
                        last[1] = to;
                    } else {
                        own.add(new double[] {from, to, level, stack[i]});
                    }
                }
                level += stack[i];
            }
        }
        if (!shapes.get(1).isEmpty()) {
            svg.append("<g class=\"reserved\" fill=\"url(#cg-hatch)\">");
            for (double[] s : shapes.get(1)) {
                rect(svg, f, s[0], s[1], s[2], s[3], "reserved by other rollouts: " + Numbers.fmt(s[3]) + " Mbps");
            }
            svg.append("</g>\n");
        }
        for (int i = 0; i < m.waves.size(); i++) {
            ChartModel.WaveLayer wave = m.waves.get(i);
            svg.append("<g class=\"wave\" data-wave=\"").append(wave.number()).append("\" fill=\"")
                    .append(waveColour(i)).append("\" stroke=\"#ffffff\" stroke-width=\"0.75\">");
            String tip = wave.label() + ": " + wave.services(Integer.MAX_VALUE);
            for (double[] s : shapes.get(2 + i)) {
                rect(svg, f, s[0], s[1], s[2], s[3], tip + " (" + Numbers.fmt(s[3]) + " Mbps here)");
            }
            svg.append("</g>\n");
        }
    }

    /** Where the plan ends and where no plan could end sooner: the gap between them is what staggering cost. */
    private static void markers(StringBuilder svg, ChartModel m, Frame f) {
        long makespan = m.input.plan().makespanMillis();
        long bound = m.input.lowerBoundMillis();
        if (!m.waves.isEmpty()) {
            double x = f.x(makespan);
            line(svg, x, PLOT_TOP, x, PLOT_BOTTOM, "class=\"makespan\" stroke=\"" + MUTED_INK
                    + "\" stroke-width=\"1\" stroke-dasharray=\"2 3\"");
            marker(svg, x, PLOT_TOP + 12, MUTED_INK, "makespan " + Numbers.fmt(Numbers.seconds(makespan)) + " s");
        }
        if (bound > 0 && bound < m.rangeMillis && (m.waves.isEmpty() || bound != makespan)) {
            double x = f.x(bound);
            line(svg, x, PLOT_TOP + 16, x, PLOT_BOTTOM, "class=\"lower-bound\" stroke=\"#aaaaaa\""
                    + " stroke-width=\"1\" stroke-dasharray=\"1 3\"");
            marker(svg, x, PLOT_TOP + 26, "#999999", "lower bound " + Numbers.fmt(Numbers.seconds(bound)) + " s");
        }
    }

    /** A marker's label, left of its line, or right of it when the left would run past the y axis. */
    private static void marker(StringBuilder svg, double x, double y, String colour, String label) {
        boolean roomLeft = x - 4 - label.length() * APPROX_CHAR_PX >= PLOT_LEFT;
        text(svg, roomLeft ? x - 4 : x + 4, y, null, HALO + " text-anchor=\"" + (roomLeft ? "end" : "start")
                + "\" font-size=\"11\" fill=\"" + colour + "\"", label);
    }

    /**
     * The raw and the usable capacity. Both labels sit at the left, clear of the makespan marker near the right end,
     * with a white halo so a plan drawn over them stays readable; the raw label is left out when the two lines are so
     * close that it would cover the usable one (the legend still names it).
     */
    private static void capacityLines(StringBuilder svg, ChartModel m, Frame f) {
        double yc = f.y(m.connectorMbps);
        double yu = f.y(m.usableMbps);
        line(svg, PLOT_LEFT, yc, PLOT_RIGHT, yc, "class=\"connector\" stroke=\"" + CONNECTOR_COLOUR
                + "\" stroke-width=\"1\" stroke-opacity=\"0.7\"");
        if (yu - yc >= 16) {
            text(svg, PLOT_LEFT + 6, yc - 5, null, HALO + " font-size=\"11\" fill=\"" + CONNECTOR_COLOUR + "\"",
                    "connector " + Numbers.fmt(m.connectorMbps) + " Mbps (" + m.input.capacity().connector()
                            .runningInstances() + " × " + m.input.capacity().connector().machineType().wireName()
                            + ")");
        }
        svg.append("<line class=\"usable\" x1=\"").append(n(PLOT_LEFT)).append("\" y1=\"").append(n(yu))
                .append("\" x2=\"").append(n(PLOT_RIGHT)).append("\" y2=\"").append(n(yu)).append("\" stroke=\"")
                .append(USABLE_COLOUR).append("\" stroke-width=\"2\" stroke-dasharray=\"7 4\"><title>")
                .append(esc("headroom now " + Numbers.fmt(m.input.capacity().headroomNowMbps()) + " Mbps = "
                        + m.input.capacity().explainHeadroom()))
                .append("</title></line>\n");
        text(svg, PLOT_LEFT + 6, yu - 6, null, HALO + " font-weight=\"600\" fill=\"" + USABLE_COLOUR + "\"",
                m.usableLabel());
    }

    private static void axes(StringBuilder svg, ChartModel m, Frame f) {
        svg.append("<g class=\"axes\" stroke=\"").append(INK).append("\" stroke-width=\"1\">");
        line(svg, PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, "");
        line(svg, PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM, "");
        for (int k = 0; k * f.yStep <= f.topMbps + 1e-9; k++) {
            double y = f.y(k * f.yStep);
            line(svg, PLOT_LEFT - 4, y, PLOT_LEFT, y, "");
        }
        double rangeSeconds = Numbers.seconds(m.rangeMillis);
        for (int k = 0; k * f.xStepSeconds <= rangeSeconds + 1e-9; k++) {
            double x = f.x(k * f.xStepSeconds * 1000);
            line(svg, x, PLOT_BOTTOM, x, PLOT_BOTTOM + 4, "");
        }
        svg.append("</g>\n<g class=\"tick-labels\" font-size=\"11\" fill=\"").append(MUTED_INK).append("\">");
        for (int k = 0; k * f.yStep <= f.topMbps + 1e-9; k++) {
            text(svg, PLOT_LEFT - 7, f.y(k * f.yStep) + 4, null, "text-anchor=\"end\"", Numbers.fmt(k * f.yStep));
        }
        for (int k = 0; k * f.xStepSeconds <= rangeSeconds + 1e-9; k++) {
            text(svg, f.x(k * f.xStepSeconds * 1000), PLOT_BOTTOM + 17, null, "text-anchor=\"middle\"",
                    Numbers.fmt(k * f.xStepSeconds));
        }
        svg.append("</g>\n");
        text(svg, (PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 38, null, "text-anchor=\"middle\"",
                "seconds from the decision (s)");
        svg.append("<text x=\"18\" y=\"").append(n((PLOT_TOP + PLOT_BOTTOM) / 2))
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 18 ")
                .append(n((PLOT_TOP + PLOT_BOTTOM) / 2)).append(")\">connector bandwidth (Mbps)</text>\n");
    }

    /**
     * Waves first, then the bands and lines every chart has. A wave takes two lines (label, then its services) while
     * the column holds them all that way, else one line each, and what still does not fit is counted in one line.
     */
    private static void legend(StringBuilder svg, ChartModel m) {
        svg.append("<g class=\"legend\" font-size=\"11\">\n");
        double y = PLOT_TOP;
        boolean hasReserved = m.reserved.maxFrom(0) > 0;
        int fixedRows = hasReserved ? 4 : 3;
        int rows = (int) ((PLOT_BOTTOM - PLOT_TOP) / LEGEND_ROW) - fixedRows - 1;
        boolean twoLines = 2 * m.waves.size() <= rows;
        int shown = m.waves.size() <= rows ? m.waves.size() : rows - 1;
        for (int i = 0; i < shown; i++) {
            ChartModel.WaveLayer wave = m.waves.get(i);
            swatch(svg, y, "fill=\"" + waveColour(i) + "\"");
            if (twoLines) {
                legendText(svg, y, "", wave.label() + " · " + Numbers.fmt(wave.peakMbps()) + " Mbps");
                y += LEGEND_ROW - 3;
                legendText(svg, y, "font-size=\"10\" fill=\"" + MUTED_INK + "\"",
                        wave.services(SERVICES_CHARS));
            } else {
                String head = wave.label() + ": ";
                legendText(svg, y, "", head + wave.services(Math.max(8, LEGEND_CHARS - head.length())));
            }
            y += LEGEND_ROW;
        }
        if (shown < m.waves.size()) {
            legendText(svg, y, "", "… +" + (m.waves.size() - shown) + " more waves");
            y += LEGEND_ROW;
        }
        y += LEGEND_ROW / 2;
        if (hasReserved) {
            swatch(svg, y, "fill=\"url(#cg-hatch)\"");
            legendText(svg, y, "", "reserved by other rollouts");
            y += LEGEND_ROW;
        }
        swatch(svg, y, "fill=\"" + BASELINE_FILL + "\"");
        legendText(svg, y, "", m.baselineLabel());
        y += LEGEND_ROW;
        line(svg, LEGEND_LEFT, y - 4, LEGEND_LEFT + 12, y - 4, "stroke=\"" + USABLE_COLOUR
                + "\" stroke-width=\"2\" stroke-dasharray=\"4 2\"");
        legendText(svg, y, "", "usable " + Numbers.fmt(m.usableMbps) + " Mbps");
        y += LEGEND_ROW;
        line(svg, LEGEND_LEFT, y - 4, LEGEND_LEFT + 12, y - 4, "stroke=\"" + CONNECTOR_COLOUR + "\"");
        legendText(svg, y, "", "connector " + Numbers.fmt(m.connectorMbps) + " Mbps");
        svg.append("</g>\n");
    }

    private static void swatch(StringBuilder svg, double y, String fill) {
        svg.append("<rect x=\"").append(n(LEGEND_LEFT)).append("\" y=\"").append(n(y - 10))
                .append("\" width=\"12\" height=\"12\" rx=\"2\" ").append(fill).append("/>\n");
    }

    private static void legendText(StringBuilder svg, double y, String attrs, String s) {
        text(svg, LEGEND_LEFT + 18, y, null, attrs, s);
    }

    private static String waveColour(int index) {
        return WAVE_COLOURS[index % WAVE_COLOURS.length];
    }

    private static void rect(StringBuilder svg, Frame f, double fromMillis, double toMillis, double bottomMbps,
            double heightMbps, String tooltip) {
        double x0 = f.x(fromMillis);
        double x1 = f.x(toMillis);
        double yTop = f.y(bottomMbps + heightMbps);
        double yBottom = f.y(bottomMbps);
        svg.append("<rect x=\"").append(n(x0)).append("\" y=\"").append(n(yTop)).append("\" width=\"")
                .append(n(x1 - x0)).append("\" height=\"").append(n(yBottom - yTop)).append("\"><title>")
                .append(esc(tooltip)).append("</title></rect>");
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String attrs) {
        svg.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append('"').append(attrs.isEmpty() ? "" : " " + attrs)
                .append("/>\n");
    }

    private static void text(StringBuilder svg, double x, double y, String cssClass, String attrs, String s) {
        svg.append("<text");
        if (cssClass != null) {
            svg.append(" class=\"").append(cssClass).append('"');
        }
        svg.append(" x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"')
                .append(attrs.isEmpty() ? "" : " " + attrs).append('>').append(esc(s)).append("</text>\n");
    }

    /** Coordinates with one decimal, locale-independent, so the document is the same on every machine. */
    private static String n(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /**
     * Escapes text for element content and attribute values alike, and drops characters XML 1.0 cannot carry at
     * all (most control characters), which no escape could make legal.
     */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    boolean legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    if (legal) {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }
}
