package dev.connectorgate.capacity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Formats numbers for reasons and charts: no trailing zeros, at most two decimals ("140", "0.8", "6.5"). */
public final class Numbers {
    private Numbers() {
    }

    public static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        return d.toPlainString();
    }

    /** Milliseconds on the planner's grid as seconds, exactly (6500 → 6.5). */
    public static double seconds(long millis) {
        return millis / 1000.0;
    }
}
