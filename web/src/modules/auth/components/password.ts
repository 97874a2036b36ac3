/** The password policy the server enforces: ≥ 8 characters with 3 of 4 classes. */
export function passwordClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export function meetsPolicy(password: string): boolean {
  return password.length >= 8 && passwordClasses(password) >= 3;
}
