// Name and identifier rules (DNS labels and subdomains, qualified names, label
// values, config keys...). Each check returns the list of problems, worded as
// Kubernetes words them; an empty list means valid.

/** "<msg> (e.g. 'a',  or 'b', regex used for validation is '<re>')", the shape of Kubernetes' regex errors. */
function regexError(message: string, regex: string, examples: readonly string[]): string {
  const shown = examples.map((e) => `'${e}', `).join(" or ");
  return examples.length === 0
    ? `${message} (regex used for validation is '${regex}')`
    : `${message} (e.g. ${shown}regex used for validation is '${regex}')`;
}

const maxLength = (n: number) => `must be no more than ${n} characters`;

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME_PART = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = `(${QUALIFIED_NAME_PART})?`;
const CONFIG_KEY = "[-._a-zA-Z0-9]+";
const ENV_VAR_NAME = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const PERCENT = "[0-9]+%";

const whole = (source: string) => new RegExp(`^(?:${source})$`);
const dns1123LabelRe = whole(DNS1123_LABEL);
const dns1123SubdomainRe = whole(DNS1123_SUBDOMAIN);
const dns1035LabelRe = whole(DNS1035_LABEL);
const qualifiedNamePartRe = whole(QUALIFIED_NAME_PART);
const labelValueRe = whole(LABEL_VALUE);
const configKeyRe = whole(CONFIG_KEY);
const envVarNameRe = whole(ENV_VAR_NAME);
const percentRe = whole(PERCENT);

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_VALUE_MAX = 63;

const QUALIFIED_NAME_HINT =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function dns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errors.push(maxLength(DNS1123_LABEL_MAX));
  if (!dns1123LabelRe.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        ["my-name", "123-abc"],
      ),
    );
  }
  return errors;
}

export function dns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(maxLength(DNS1123_SUBDOMAIN_MAX));
  if (!dns1123SubdomainRe.test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        ["example.com"],
      ),
    );
  }
  return errors;
}

export function dns1035Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errors.push(maxLength(DNS1123_LABEL_MAX));
  if (!dns1035LabelRe.test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        ["my-name", "abc-123"],
      ),
    );
  }
  return errors;
}

const WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_SUBDOMAIN}`;
const wildcardDNS1123SubdomainRe = whole(WILDCARD_DNS1123_SUBDOMAIN);

/** "*.example.com": a wildcard host, as Ingress rules and TLS hosts may name. */
export function wildcardDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(maxLength(DNS1123_SUBDOMAIN_MAX));
  if (!wildcardDNS1123SubdomainRe.test(value)) {
    errors.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_SUBDOMAIN,
        ["*.example.com"],
      ),
    );
  }
  return errors;
}

// RFC 3986 path characters: unreserved, percent-encoded octets, sub-delims and ':'.
const HTTP_PATH = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRe = whole(HTTP_PATH);

/** The path of a domain-prefixed path ("example.com/<path>"), e.g. an IngressClass controller. */
export function httpPath(value: string): string[] {
  return httpPathRe.test(value) ? [] : [regexError("Invalid path", HTTP_PATH, [])];
}

/** `[prefix/]name`, as label keys, annotation keys and finalizers are. */
export function qualifiedName(value: string): string[] {
  const parts = value.split("/");
  let name: string;
  const errors: string[] = [];
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errors.push("prefix part must be non-empty");
    else errors.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      regexError(`a qualified name ${QUALIFIED_NAME_HINT}`, QUALIFIED_NAME_PART, ["MyName", "my.name", "123-abc"]) +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errors.push("name part must be non-empty");
  else if (name.length > 63) errors.push("name part must be no more than 63 characters");
  if (!qualifiedNamePartRe.test(name)) {
    errors.push(regexError(`name part ${QUALIFIED_NAME_HINT}`, QUALIFIED_NAME_PART, ["MyName", "my.name", "123-abc"]));
  }
  return errors;
}

export function labelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errors.push(maxLength(LABEL_VALUE_MAX));
  if (!labelValueRe.test(value)) {
    errors.push(
      regexError(`a valid label must be an empty string or ${QUALIFIED_NAME_HINT.replace(/^must /, "")}`, LABEL_VALUE, [
        "MyValue",
        "my_value",
        "12345",
      ]),
    );
  }
  return errors;
}

/** Keys of ConfigMap/Secret data (they become file names in volumes). */
export function configMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errors.push(maxLength(DNS1123_SUBDOMAIN_MAX));
  if (!configKeyRe.test(value)) {
    errors.push(
      regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY, [
        "key.name",
        "KEY_NAME",
        "key-name",
      ]),
    );
  }
  if (value === ".") errors.push("must not be '.'");
  else if (value === "..") errors.push("must not be '..'");
  else if (value.startsWith("..")) errors.push("must not start with '..'");
  return errors;
}

export function envVarName(value: string): string[] {
  if (envVarNameRe.test(value)) return [];
  return [
    regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      ENV_VAR_NAME,
      ["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
    ),
  ];
}

/** Names used as a single URL path segment (RBAC objects and a few others). */
export function pathSegmentName(value: string, prefix = false): string[] {
  // A generateName prefix gets a suffix, so "." or ".." cannot survive as the whole name.
  if (!prefix && value === ".") return ["may not be '.'"];
  if (!prefix && value === "..") return ["may not be '..'"];
  const errors: string[] = [];
  if (value.includes("/")) errors.push("may not contain '/'");
  if (value.includes("%")) errors.push("may not contain '%'");
  return errors;
}

/** IANA service names, as container and service port names must be. */
export function portName(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 15) errors.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(value)) errors.push("must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(value)) errors.push("must contain at least one letter (a-z)");
  if (value.includes("--")) errors.push("must not contain consecutive hyphens");
  if (value.startsWith("-") || value.endsWith("-")) errors.push("must not begin or end with a hyphen");
  return errors;
}

export function portNumber(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];
}

export function percent(value: string): string[] {
  return percentRe.test(value)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT, ["1%", "93%"])];
}

// ---------------------------------------------------------------------------
// Object name rules. `prefix` is true when checking a generateName, which may end
// in '-' because a random suffix follows it.

export type NameRule = (name: string, prefix: boolean) => string[];

/** A generateName may end in '-'; check it as if a suffix were already there. */
const maskTrailingDash = (name: string) => (name.length > 1 && name.endsWith("-") ? name.slice(0, -1) + "a" : name);

export const nameIsDNSSubdomain: NameRule = (name, prefix) => dns1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameRule = (name, prefix) => dns1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameRule = (name, prefix) => dns1035Label(prefix ? maskTrailingDash(name) : name);
export const nameIsPathSegment: NameRule = (name, prefix) => pathSegmentName(name, prefix);
