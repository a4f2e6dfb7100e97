package dev.connectorgate.cli;

/** What the command line knows of the terminal it writes to: its width and whether colour is welcome. */
final class Terminal {
    private static final int DEFAULT_WIDTH = 100;

    private Terminal() {
    }

    static int width(String flag) throws UsageError {
        String v = flag != null ? flag : System.getenv("COLUMNS");
        if (v == null || v.isBlank()) {
            return DEFAULT_WIDTH;
        }
        try {
            int w = Integer.parseInt(v.trim());
            return Math.max(60, Math.min(w, 240));
        } catch (NumberFormatException e) {
            if (flag != null) {
                throw new UsageError("--width: must be a whole number, got " + flag);
            }
            return DEFAULT_WIDTH;
        }
    }

    /** Colour only on an interactive terminal, and never when NO_COLOR is set (no-color.org). */
    static boolean color() {
        return System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }
}
