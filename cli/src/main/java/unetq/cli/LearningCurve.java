package unetq.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Validation Dice per epoch of a training run, as a PNG (JFreeChart): from a run's history or its log. */
final class LearningCurve {
    /** One epoch: validation Dice at both thresholds, and whether BatchNorm statistics were frozen. */
    record Point(int epoch, double diceAt999, double diceAt05, boolean frozen) {
    }

    private static final Pattern EPOCH = Pattern.compile(
            "^epoch\\s+(\\d+)/\\d+\\s+loss \\S+\\s+val Dice ([0-9.]+) % \\(t=0\\.999\\)\\s+([0-9.]+) % \\(t=0\\.5\\).*?(BN frozen)?$");

    private LearningCurve() {
    }

    /** The epoch lines of a `unetq train` log (other lines are skipped). */
    static List<Point> parse(List<String> lines) {
        List<Point> points = new ArrayList<>();
        for (String line : lines) {
            Matcher m = EPOCH.matcher(line.strip());
            if (m.matches()) {
                points.add(new Point(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                        m.group(4) != null));
            }
        }
        return points;
    }

    /** The curve of {@code points}; frozen-BatchNorm epochs shaded, the kept epoch marked when {@code keptEpoch} > 0. */
    static byte[] png(String title, List<Point> points, int keptEpoch) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries t999 = new XYSeries("Dice, t = 0.999");
        XYSeries t05 = new XYSeries("Dice, t = 0.5");
        int firstFrozen = Integer.MAX_VALUE;
        for (Point p : points) {
            t999.add(p.epoch(), p.diceAt999());
            t05.add(p.epoch(), p.diceAt05());
            if (p.frozen()) {
                firstFrozen = Math.min(firstFrozen, p.epoch());
            }
        }
        data.addSeries(t999);
        data.addSeries(t05);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", "validation Dice (%)", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = (XYPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.getRangeAxis().setRange(0, 100);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(1.5f));
        plot.getRenderer().setSeriesStroke(1, new BasicStroke(1.5f));
        if (firstFrozen != Integer.MAX_VALUE && !points.isEmpty()) {
            IntervalMarker frozen = new IntervalMarker(firstFrozen - 0.5, points.get(points.size() - 1).epoch() + 0.5);
            frozen.setPaint(new Color(0xeeeeee));
            frozen.setLabel("BatchNorm frozen");
            plot.addDomainMarker(frozen, org.jfree.chart.ui.Layer.BACKGROUND);
        }
        if (keptEpoch > 0) {
            org.jfree.chart.plot.ValueMarker kept = new org.jfree.chart.plot.ValueMarker(keptEpoch);
            kept.setPaint(Color.DARK_GRAY);
            kept.setLabel("kept epoch " + keptEpoch);
            plot.addDomainMarker(kept);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 500);
        return png.toByteArray();
    }
}
