/**
 * Limits of the exposition parser. Neither format states one; these are ours, set far above what client
 * libraries write (node_exporter's longest line, node_dmi_info with 20 labels, is under 700 characters).
 */

/**
 * A longer line fails the parse. The parser scans each line once, without regular expressions, so the
 * cap is not what keeps it fast: it keeps one hostile or runaway line from being copied into labels.
 */
export const MAX_LINE_CHARS = 64 * 1024;

/** Error messages quote the offending line up to this many characters. */
export const MAX_QUOTED_LINE_CHARS = 80;
