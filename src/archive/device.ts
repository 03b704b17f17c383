// Linux dev_t encoding (glibc gnu_dev_major / gnu_dev_minor), from lstat's rdev as a number or a bigint.

export const devMajor = (rdev: number | bigint): number => {
  const r = BigInt(rdev);
  return Number(((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn));
};

export const devMinor = (rdev: number | bigint): number => {
  const r = BigInt(rdev);
  return Number((r & 0xffn) | ((r >> 12n) & ~0xffn));
};
