// The shared packet-path model of the firewall families (see /work/notes/firewall-interface.md).
export * from './model';
export * from './ports';
export * from './evaluate';
export * from './matrix';
export * from './services';
export * from './findings';
export * from './nearby';
export * from './messages';
