package dev.connectorgate.cli.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalChartTest {
    private static final Pattern WAVE_LEGEND = Pattern.compile("^(\\S) wave (\\d+) @ (\\S+) s: (.*)$",
            Pattern.MULTILINE);

    @Test
    void seedCaseShowsFourWavesWithDistinctGlyphsAndTheirServices() {
        String chart = TerminalChart.render(ChartFixtures.seed("seed"), 80, 16, false);

        Matcher m = WAVE_LEGEND.matcher(chart);
        Set<String> glyphs = new LinkedHashSet<>();
        List<String> offsets = new ArrayList<>();
        while (m.find()) {
            glyphs.add(m.group(1));
            offsets.add(m.group(3));
        }
        assertThat(glyphs).hasSize(4);
        assertThat(offsets).containsExactly("0", "6", "12", "18");
        assertThat(chart).contains("wave 1 @ 0 s: svc-01 ×1, svc-02 ×1, svc-03 ×1");
        String plot = plotArea(chart);
        glyphs.forEach(g -> assertThat(plot).contains(g));
        assertThat(chart).contains("usable 160").contains("baseline 20 Mbps");
        assertThat(chart).contains("makespan 24 s · lower bound 24 s · peak 140 of 160 Mbps usable");
    }

    @Test
    void theRuleRowCarriesNoTickOfAnotherValue() {
        String chart = TerminalChart.render(manyWaves(), 80, 12, false);
        String ruleLine = chart.lines().filter(l -> l.endsWith("usable 160")).findFirst().orElseThrow();
        assertThat(ruleLine).startsWith("    │");
    }

    @Test
    void thePlanSitsUnderTheUnbrokenUsableRule() {
        String chart = TerminalChart.render(ChartFixtures.seed("seed"), 80, 16, false);
        String ruleLine = chart.lines().filter(l -> l.endsWith("usable 160")).findFirst().orElseThrow();
        assertThat(ruleLine.substring(ruleLine.indexOf('│') + 1, ruleLine.indexOf(" usable")))
                .matches("━+");
    }

    @Test
    void aPlanOverTheUsableLineBreaksTheRuleAndSaysSo() {
        List<ServiceSpec> services = List.of(ServiceSpec.of("big", 5, 40, 6));
        ChartInput over = new ChartInput("over", ChartFixtures.capacity(List.of()), services,
                Plan.of(services, List.of(new Start("big", 0, 5))), 6_000);
        String chart = TerminalChart.render(over, 80, 16, false);
        String ruleLine = chart.lines().filter(l -> l.endsWith("usable 160")).findFirst().orElseThrow();
        assertThat(ruleLine).contains("█");
        assertThat(chart).contains("OVER by 60 Mbps");
    }

    @Test
    void reservationsShowAsTheirOwnBand() {
        String chart = TerminalChart.render(ChartFixtures.rampWithReservation(), 80, 16, false);
        assertThat(plotArea(chart)).contains("╱");
        assertThat(chart).contains("╱ reserved by other rollouts, peak 50 Mbps");
        assertThat(chart).contains("wave 2 @ 6 s: frontend ×1").contains("wave 3 @ 8 s: api ×2");
    }

    @Test
    void anEmptyPlanDrawsTheCapacityPicture() {
        String chart = TerminalChart.render(ChartFixtures.emptyPlan(), 80, 10, false);
        assertThat(chart).doesNotContain(" wave ");
        assertThat(plotArea(chart)).contains("░").contains("╱").contains("━");
        assertThat(chart).contains("no starts planned");
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 120})
    void noLineIsWiderThanAsked(int width) {
        for (ChartInput in : List.of(ChartFixtures.seed("seed"), ChartFixtures.rampWithReservation(),
                ChartFixtures.emptyPlan(), manyWaves())) {
            String chart = TerminalChart.render(in, width, 16, false);
            chart.lines().forEach(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(width));
        }
    }

    @Test
    void longPlansGetReadableTicksAndASummedUpLegend() {
        String chart = TerminalChart.render(manyWaves(), 80, 12, false);
        String labels = chart.lines().filter(l -> l.trim().startsWith("0 ")).reduce((a, b) -> b).orElseThrow();
        assertThat(labels.trim().split("\\s+")).hasSizeBetween(4, 12).contains("1000");
        assertThat(chart).contains("… +109 more waves");
    }

    @Test
    void colourIsOnlyThereWhenAskedFor() {
        assertThat(TerminalChart.render(ChartFixtures.seed("seed"), 80, 16, false)).doesNotContain("\u001b");
        String coloured = TerminalChart.render(ChartFixtures.seed("seed"), 80, 16, true);
        assertThat(coloured).contains("\u001b[38;5;33m").contains("\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", ""))
                .isEqualTo(TerminalChart.render(ChartFixtures.seed("seed"), 80, 16, false));
    }

    @Test
    void controlCharactersInTheTitleCannotReachTheTerminal() {
        String chart = TerminalChart.render(ChartFixtures.seed("evil\u001b[2Jtitle\r\n<&>"), 80, 16, false);
        assertThat(chart).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(chart.lines().findFirst().orElseThrow()).isEqualTo("evil?[2Jtitle??<&>");
    }

    @Test
    void renderingIsAPureFunctionOfTheInput() {
        assertThat(TerminalChart.render(ChartFixtures.rampWithReservation(), 80, 16, true))
                .isEqualTo(TerminalChart.render(ChartFixtures.rampWithReservation(), 80, 16, true));
    }

    @Test
    void longServiceListsAreCutWithACount() {
        assertThat(ChartModel.joinTruncated(List.of("alpha ×1", "beta ×2", "gamma ×3", "delta ×4"), 28))
                .isEqualTo("alpha ×1, beta ×2, +2 more");
        assertThat(ChartModel.joinTruncated(List.of("a-very-long-service-name ×1", "b ×1"), 16))
                .isEqualTo("a-very…, +1 more");
    }

    /** 120 one-instance waves 30 s apart over an hour. */
    private static ChartInput manyWaves() {
        List<ServiceSpec> services = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            services.add(ServiceSpec.of("s" + i, 3, 40, 30));
            for (int k = 0; k < 3; k++) {
                starts.add(new Start("s" + i, (i * 3 + k) * 30_000L, 1));
            }
        }
        return new ChartInput("long", ChartFixtures.capacity(List.of()), services, Plan.of(services, starts),
                3_600_000);
    }

    /** The rows between the "Mbps" line and the x axis, without their labels. */
    private static String plotArea(String chart) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : chart.lines().toList()) {
            if (line.trim().equals("Mbps")) {
                in = true;
            } else if (line.contains("└")) {
                break;
            } else if (in) {
                int axis = Math.max(line.indexOf('│'), line.indexOf('┤'));
                sb.append(line.substring(axis + 1)).append('\n');
            }
        }
        return sb.toString();
    }
}
