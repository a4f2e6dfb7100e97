package dev.connectorgate.cli.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    @Test
    void seedCaseIsWellFormedWithOneGroupPerWaveAndTheUsableLine() throws Exception {
        Document doc = parse(SvgChart.render(ChartFixtures.seed("seed")));

        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo("900");
        assertThat(root.getAttribute("height")).isEqualTo("420");
        NodeList waves = nodes(doc, "//*[local-name()='g'][@class='wave']");
        assertThat(waves.getLength()).isEqualTo(4);
        List<String> fills = new ArrayList<>();
        for (int i = 0; i < waves.getLength(); i++) {
            fills.add(((Element) waves.item(i)).getAttribute("fill"));
        }
        assertThat(fills).doesNotHaveDuplicates();
        assertThat(nodes(doc, "//*[local-name()='line'][@class='usable']").getLength()).isEqualTo(1);
        assertThat(nodes(doc, "//*[local-name()='line'][@class='connector']").getLength()).isEqualTo(1);
        assertThat(text(doc, "//*[local-name()='text'][@class='summary']"))
                .isEqualTo("makespan 24 s · lower bound 24 s · peak 140 of 160 Mbps usable");
    }

    @Test
    void everyWaveRectangleCarriesATooltipListingItsServices() throws Exception {
        Document doc = parse(SvgChart.render(ChartFixtures.seed("seed")));
        NodeList rects = nodes(doc, "//*[local-name()='g'][@data-wave='2']/*[local-name()='rect']");
        assertThat(rects.getLength()).isPositive();
        for (int i = 0; i < rects.getLength(); i++) {
            assertThat(rects.item(i).getTextContent())
                    .startsWith("wave 2 @ 6 s: svc-04 ×1, svc-05 ×1, svc-06 ×1");
        }
    }

    @Test
    void reservationsShowAsAHatchedBand() throws Exception {
        String svg = SvgChart.render(ChartFixtures.rampWithReservation());
        Document doc = parse(svg);
        NodeList reserved = nodes(doc, "//*[local-name()='g'][@class='reserved']/*[local-name()='rect']");
        assertThat(reserved.getLength()).isEqualTo(2);
        assertThat(reserved.item(0).getTextContent()).contains("50 Mbps");
        assertThat(nodes(doc, "//*[local-name()='g'][@class='wave']").getLength()).isEqualTo(4);
        assertThat(svg).contains("fill=\"url(#cg-hatch)\"").contains("<pattern id=\"cg-hatch\"");
    }

    @Test
    void anEmptyPlanStillDrawsTheCapacityPicture() throws Exception {
        Document doc = parse(SvgChart.render(ChartFixtures.emptyPlan()));
        assertThat(nodes(doc, "//*[local-name()='g'][@class='wave']").getLength()).isZero();
        assertThat(nodes(doc, "//*[local-name()='g'][@class='baseline']").getLength()).isEqualTo(1);
        assertThat(nodes(doc, "//*[local-name()='g'][@class='reserved']").getLength()).isEqualTo(1);
        assertThat(nodes(doc, "//*[local-name()='line'][@class='usable']").getLength()).isEqualTo(1);
    }

    @Test
    void specialCharactersInTheTitleAreEscaped() throws Exception {
        String title = "<script>alert('x')</script> & \"quotes\" \u0007bell";
        String svg = SvgChart.render(ChartFixtures.seed(title));
        assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;");
        Document doc = parse(svg);
        String expected = "<script>alert('x')</script> & \"quotes\" bell";
        assertThat(text(doc, "/*[local-name()='svg']/*[local-name()='title']")).isEqualTo(expected);
        assertThat(text(doc, "//*[local-name()='text'][@class='title']")).isEqualTo(expected);
    }

    @Test
    void theDocumentNeedsNothingOutsideItself() {
        String svg = SvgChart.render(ChartFixtures.rampWithReservation());
        assertThat(svg).doesNotContain("href").doesNotContain("<script").doesNotContain("@import")
                .doesNotContain("url(http");
    }

    @Test
    void renderingIsAPureFunctionOfTheInput() {
        assertThat(SvgChart.render(ChartFixtures.rampWithReservation()))
                .isEqualTo(SvgChart.render(ChartFixtures.rampWithReservation()));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static NodeList nodes(Document doc, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    }

    private static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }
}
