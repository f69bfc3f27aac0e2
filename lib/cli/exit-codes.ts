/** A child that exits with this code has a configuration problem: restarting it cannot help. (sysexits EX_CONFIG) */
export const exitConfigError = 78;
