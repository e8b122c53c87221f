export * from './address';
export * from './address-set';
export * from './classify';
export * from './judge';
