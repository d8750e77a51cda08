export const exit = () => () => process.exit(1);
