export const run = (): string => 'hello';
