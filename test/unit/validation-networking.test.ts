import { describe, expect, it } from "vitest";
import type { FieldError } from "../../api/errors.ts";
import { defaultIngressClass, defaultNetworkPolicy } from "../../api/registry/defaults/networking.ts";
import type { KubeObject } from "../../api/types.ts";
import {
  validateIngress,
  validateIngressClass,
  validateIngressClassUpdate,
  validateIngressStatusUpdate,
  validateNetworkPolicy,
} from "../../api/validation/networking.ts";

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);
const obj = (fields: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: "x", namespace: "default", ...(annotations ? { annotations } : {}) },
  ...fields,
});

const SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD_ERROR =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_ERROR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

// ---- Ingress ----

const serviceBackend = (port: Record<string, unknown> = { number: 8080 }, name = "svc1") => ({
  service: { name, port },
});
const httpPath = (fields: Record<string, unknown> = {}) => ({
  path: "/bar",
  pathType: "Prefix",
  backend: serviceBackend(),
  ...fields,
});
/** An ingress with one rule for foo.com whose single path is `path`. */
const ingressWithPath = (path: Record<string, unknown>) =>
  obj({ spec: { rules: [{ host: "foo.com", http: { paths: [path] } }] } });
const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>) => obj({ spec }, annotations);
const P = "spec.rules[0].http.paths[0]";

describe("Ingress", () => {
  it.each<[string, KubeObject]>([
    [
      "what kubectl create ingress sends",
      ingress({
        ingressClassName: "nginx",
        rules: [{ host: "foo.com", http: { paths: [httpPath()] } }],
        tls: [{ hosts: ["foo.com"], secretName: "my-cert" }],
      }),
    ],
    ["a default backend alone", ingress({ defaultBackend: serviceBackend({ name: "http" }) })],
    ["a wildcard host", ingress({ rules: [{ host: "*.foo.com", http: { paths: [httpPath()] } }] })],
    ["a rule without a host or http", ingress({ rules: [{}] })],
    [
      "Exact and ImplementationSpecific paths",
      ingress({
        rules: [
          {
            http: {
              paths: [httpPath({ pathType: "Exact" }), httpPath({ pathType: "ImplementationSpecific", path: "" })],
            },
          },
        ],
      }),
    ],
    [
      "a resource backend",
      ingress({
        defaultBackend: { resource: { apiGroup: "k8s.example.com", kind: "StorageBucket", name: "static" } },
      }),
    ],
    ["a resource backend in the core group", ingress({ defaultBackend: { resource: { kind: "Service", name: "s" } } })],
    [
      "a matching class annotation",
      ingress(
        { ingressClassName: "nginx", defaultBackend: serviceBackend() },
        {
          "kubernetes.io/ingress.class": "nginx",
        },
      ),
    ],
  ])("accepts %s", (_, object) => {
    expect(render(validateIngress(object))).toEqual([]);
  });

  it.each<[string, KubeObject, string[]]>([
    [
      "neither rules nor a default backend",
      ingress({}),
      ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"],
    ],
    [
      "empty rules",
      ingress({ rules: [] }),
      ["spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified"],
    ],
    [
      "an IP address as host",
      ingress({ rules: [{ host: "10.0.0.1", http: { paths: [httpPath()] } }] }),
      ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ],
    [
      "an IPv6 address as host",
      ingress({ rules: [{ host: "::1" }] }),
      [
        'spec.rules[0].host: Invalid value: "::1": must be a DNS name, not an IP address',
        `spec.rules[0].host: Invalid value: "::1": ${SUBDOMAIN_ERROR}`,
      ],
    ],
    [
      "an upper-case host",
      ingress({ rules: [{ host: "Foo.com" }] }),
      [`spec.rules[0].host: Invalid value: "Foo.com": ${SUBDOMAIN_ERROR}`],
    ],
    [
      "a wildcard that is not a leading label",
      ingress({ rules: [{ host: "foo.*.com" }] }),
      [`spec.rules[0].host: Invalid value: "foo.*.com": ${WILDCARD_ERROR}`],
    ],
    [
      "http without paths",
      ingress({ rules: [{ host: "foo.com", http: { paths: [] } }] }),
      ["spec.rules[0].http.paths: Required value"],
    ],
    [
      "no pathType (the backend is not checked)",
      ingressWithPath({ path: "/", backend: {} }),
      [`${P}.pathType: Required value: pathType must be specified`],
    ],
    [
      "an unknown pathType",
      ingressWithPath(httpPath({ pathType: "Regex" })),
      [`${P}.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"`],
    ],
    [
      "a relative Prefix path",
      ingressWithPath(httpPath({ path: "bar" })),
      [`${P}.path: Invalid value: "bar": must be an absolute path`],
    ],
    [
      "an empty Exact path",
      ingressWithPath(httpPath({ pathType: "Exact", path: "" })),
      [`${P}.path: Invalid value: "": must be an absolute path`],
    ],
    [
      "a relative ImplementationSpecific path",
      ingressWithPath(httpPath({ pathType: "ImplementationSpecific", path: "x" })),
      [`${P}.path: Invalid value: "x": must be an absolute path`],
    ],
    [
      "'//' in a path",
      ingressWithPath(httpPath({ path: "/a//b" })),
      [`${P}.path: Invalid value: "/a//b": must not contain '//'`],
    ],
    [
      "'/./' in a path",
      ingressWithPath(httpPath({ path: "/a/./b" })),
      [`${P}.path: Invalid value: "/a/./b": must not contain '/./'`],
    ],
    [
      "'/../' and an encoded slash",
      ingressWithPath(httpPath({ path: "/a/../b%2Fc" })),
      [
        `${P}.path: Invalid value: "/a/../b%2Fc": must not contain '/../'`,
        `${P}.path: Invalid value: "/a/../b%2Fc": must not contain '%2F'`,
      ],
    ],
    [
      "'%2f'",
      ingressWithPath(httpPath({ path: "/a%2fb" })),
      [`${P}.path: Invalid value: "/a%2fb": must not contain '%2f'`],
    ],
    [
      "a trailing '/..'",
      ingressWithPath(httpPath({ path: "/a/.." })),
      [`${P}.path: Invalid value: "/a/..": cannot end with '/..'`],
    ],
    [
      "a trailing '/.'",
      ingressWithPath(httpPath({ path: "/a/." })),
      [`${P}.path: Invalid value: "/a/.": cannot end with '/.'`],
    ],
    [
      "both backends",
      ingressWithPath(httpPath({ backend: { ...serviceBackend(), resource: { kind: "K", name: "n" } } })),
      [`${P}.backend: Invalid value: "": cannot set both resource and service backends`],
    ],
    [
      "no backend",
      ingressWithPath(httpPath({ backend: {} })),
      [`${P}.backend: Invalid value: "": resource or service backend is required`],
    ],
    [
      "a service without a name",
      ingressWithPath(httpPath({ backend: serviceBackend({ number: 80 }, "") })),
      [`${P}.backend.service.name: Required value`],
    ],
    [
      "a service name that is not a DNS-1035 label",
      ingressWithPath(httpPath({ backend: serviceBackend({ number: 80 }, "1svc") })),
      [`${P}.backend.service.name: Invalid value: "1svc": ${DNS1035_ERROR}`],
    ],
    [
      "port name and number",
      ingressWithPath(httpPath({ backend: serviceBackend({ name: "http", number: 80 }) })),
      [`${P}.backend: Invalid value: "": cannot set both port name & port number`],
    ],
    [
      "no port",
      ingressWithPath(httpPath({ backend: { service: { name: "svc1" } } })),
      [`${P}.backend: Required value: port name or number is required`],
    ],
    [
      "port 0 and an empty name (both unset)",
      ingressWithPath(httpPath({ backend: serviceBackend({ name: "", number: 0 }) })),
      [`${P}.backend: Required value: port name or number is required`],
    ],
    [
      "port number out of range",
      ingressWithPath(httpPath({ backend: serviceBackend({ number: 70000 }) })),
      [`${P}.backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    ],
    [
      "a port name that is not an IANA service name",
      ingressWithPath(httpPath({ backend: serviceBackend({ name: "HTTP" }) })),
      [
        `${P}.backend.service.port.name: Invalid value: "HTTP": must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)`,
        `${P}.backend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)`,
      ],
    ],
    [
      "a resource backend without kind and name",
      ingress({ defaultBackend: { resource: {} } }),
      ["spec.defaultBackend.resource.kind: Required value", "spec.defaultBackend.resource.name: Required value"],
    ],
    [
      "a resource backend with an empty apiGroup",
      ingress({ defaultBackend: { resource: { apiGroup: "", kind: "K", name: "n" } } }),
      [`spec.defaultBackend.resource.apiGroup: Invalid value: "": ${SUBDOMAIN_ERROR}`],
    ],
    [
      "a resource name with a slash",
      ingress({ defaultBackend: { resource: { kind: "K", name: "a/b" } } }),
      [`spec.defaultBackend.resource.name: Invalid value: "a/b": may not contain '/'`],
    ],
    [
      "bad TLS hosts and secret",
      ingress({
        defaultBackend: serviceBackend(),
        tls: [{ hosts: ["*.ok.com", "Bad", "a.*.com"], secretName: "My_Cert" }],
      }),
      [
        `spec.tls[0].hosts[1]: Invalid value: "Bad": ${SUBDOMAIN_ERROR}`,
        `spec.tls[0].hosts[2]: Invalid value: "a.*.com": ${WILDCARD_ERROR}`,
        `spec.tls[0].secretName: Invalid value: "My_Cert": ${SUBDOMAIN_ERROR}`,
      ],
    ],
    [
      "a bad ingressClassName",
      ingress({ ingressClassName: "Nginx", defaultBackend: serviceBackend() }),
      [`spec.ingressClassName: Invalid value: "Nginx": ${SUBDOMAIN_ERROR}`],
    ],
    [
      "a class annotation that disagrees",
      ingress(
        { ingressClassName: "nginx", defaultBackend: serviceBackend() },
        {
          "kubernetes.io/ingress.class": "traefik",
        },
      ),
      [
        'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
      ],
    ],
  ])("rejects %s", (_, object, expected) => {
    expect(render(validateIngress(object))).toEqual(expected);
  });

  it.each<[string, unknown, string[]]>([
    ["an IP and a hostname", [{ ip: "10.0.0.1" }, { hostname: "lb.example.com" }], []],
    [
      "a bad IP",
      [{ ip: "10.0.0" }],
      [
        'status.loadBalancer.ingress[0].ip: Invalid value: "10.0.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    ],
    [
      "an IP as hostname",
      [{ hostname: "10.0.0.1" }],
      ['status.loadBalancer.ingress[0].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ],
  ])("status with %s", (_, points, expected) => {
    const object = obj({ status: { loadBalancer: { ingress: points } } });
    expect(render(validateIngressStatusUpdate(object))).toEqual(expected);
  });
});

// ---- IngressClass ----

const ingressClass = (spec: Record<string, unknown>) => ({ metadata: { name: "nginx" }, spec }) as KubeObject;

describe("IngressClass", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a controller", { controller: "example.com/ingress-controller" }],
    [
      "cluster-scoped parameters",
      {
        controller: "k8s.io/ingress-nginx",
        parameters: { apiGroup: "k8s.example.com", kind: "Params", name: "p", scope: "Cluster" },
      },
    ],
    [
      "namespaced parameters",
      {
        controller: "k8s.io/ingress-nginx",
        parameters: { kind: "ConfigMap", name: "p", scope: "Namespace", namespace: "ingress" },
      },
    ],
  ])("accepts %s", (_, spec) => {
    expect(render(validateIngressClass(ingressClass(spec)))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["no controller", {}, ["spec.controller: Required value"]],
    [
      "a controller without a domain",
      { controller: "nginx" },
      ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'],
    ],
    [
      "a controller with an empty path",
      { controller: "example.com/" },
      ['spec.controller: Invalid value: "example.com/": must be a domain-prefixed path (such as "acme.io/foo")'],
    ],
    [
      "a controller with a bad domain",
      { controller: "Example.com/x" },
      [`spec.controller: Invalid value: "Example.com": ${SUBDOMAIN_ERROR}`],
    ],
    [
      "a controller path with a space",
      { controller: "example.com/a b" },
      [
        "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      ],
    ],
    [
      "a controller longer than 250 characters",
      { controller: `example.com/${"a".repeat(239)}` },
      ["spec.controller: Too long: may not be more than 250 bytes"],
    ],
    [
      "parameters without kind, name or scope",
      { controller: "example.com/x", parameters: {} },
      [
        "spec.parameters.kind: Required value",
        "spec.parameters.name: Required value",
        "spec.parameters.scope: Required value",
      ],
    ],
    [
      "an unknown scope",
      { controller: "example.com/x", parameters: { kind: "K", name: "n", scope: "Global" } },
      ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    ],
    [
      "a Namespace scope without a namespace",
      { controller: "example.com/x", parameters: { kind: "K", name: "n", scope: "Namespace" } },
      ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    ],
    [
      "a Cluster scope with a namespace",
      { controller: "example.com/x", parameters: { kind: "K", name: "n", scope: "Cluster", namespace: "a" } },
      ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    ],
  ])("rejects %s", (_, spec, expected) => {
    expect(render(validateIngressClass(ingressClass(spec)))).toEqual(expected);
  });

  it("keeps the controller immutable, parameters may change", () => {
    const old = ingressClass({ controller: "example.com/a" });
    expect(render(validateIngressClassUpdate(ingressClass({ controller: "example.com/b" }), old))).toEqual([
      'spec.controller: Invalid value: "example.com/b": field is immutable',
    ]);
    const withParameters = ingressClass({ controller: "example.com/a", parameters: { kind: "K", name: "n" } });
    expect(render(validateIngressClassUpdate(withParameters, old))).toEqual([]);
  });

  it("defaults the parameters' scope to Cluster", () => {
    const object = ingressClass({ controller: "example.com/a", parameters: { kind: "K", name: "n" } });
    defaultIngressClass(object);
    expect(object.spec).toEqual({
      controller: "example.com/a",
      parameters: { kind: "K", name: "n", scope: "Cluster" },
    });
  });
});

// ---- NetworkPolicy ----

const policy = (spec: Record<string, unknown>) => obj({ spec: { podSelector: {}, ...spec } });

describe("NetworkPolicy", () => {
  it.each<[string, Record<string, unknown>]>([
    ["deny all (empty selector)", {}],
    [
      "a full policy",
      {
        podSelector: { matchLabels: { app: "db" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } },
              { namespaceSelector: { matchLabels: { project: "web" } }, podSelector: { matchLabels: { role: "fe" } } },
            ],
            ports: [
              { protocol: "TCP", port: 6379 },
              { protocol: "UDP", port: "dns" },
              { port: 32000, endPort: 32768 },
            ],
          },
        ],
        egress: [
          { to: [{ ipBlock: { cidr: "2001:db8::/32", except: ["2001:db8:1::/48"] } }], ports: [{ protocol: "SCTP" }] },
        ],
      },
    ],
    ["a type listed twice, as Kubernetes allows", { policyTypes: ["Ingress", "Ingress"] }],
    ["empty rules (allow all)", { ingress: [{}], egress: [{}] }],
  ])("accepts %s", (_, spec) => {
    expect(render(validateNetworkPolicy(policy(spec)))).toEqual([]);
  });

  const ingressRule = (rule: Record<string, unknown>) => ({ ingress: [rule] });
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "a bad podSelector",
      { podSelector: { matchLabels: { "a b": "x" } } },
      [
        "spec.podSelector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      "an unknown policy type",
      { policyTypes: ["Ingress", "Both"] },
      ['spec.policyTypes[1]: Unsupported value: "Both": supported values: "Ingress", "Egress"'],
    ],
    [
      "three policy types",
      { policyTypes: ["Ingress", "Egress", "Ingress"] },
      [
        'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
      ],
    ],
    ["an empty peer", ingressRule({ from: [{}] }), ["spec.ingress[0].from[0]: Required value: must specify a peer"]],
    [
      "ipBlock with a selector",
      { egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }] },
      ["spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"],
    ],
    [
      "ipBlock without a cidr",
      ingressRule({ from: [{ ipBlock: {} }] }),
      ["spec.ingress[0].from[0].ipBlock.cidr: Required value"],
    ],
    [
      "a bad cidr",
      ingressRule({ from: [{ ipBlock: { cidr: "10.0.0.0" } }] }),
      [`spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": ${CIDR_ERROR}`],
    ],
    [
      "bad excepts",
      ingressRule({
        from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["x", "10.1.0.0/24", "10.0.0.0/16", "10.0.0.0/8"] } }],
      }),
      [
        `spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "x": ${CIDR_ERROR}`,
        'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
        'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
        'spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
      ],
    ],
    [
      "an IPv4 except in an IPv6 block",
      ingressRule({ from: [{ ipBlock: { cidr: "2001:db8::/32", except: ["10.0.0.0/24"] } }] }),
      ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/24": must be a strict subset of `cidr`'],
    ],
    [
      "an unknown protocol",
      ingressRule({ ports: [{ protocol: "ICMP" }] }),
      ['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"'],
    ],
    [
      "port 0",
      ingressRule({ ports: [{ port: 0 }] }),
      ["spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "a bad port name",
      { egress: [{ ports: [{ port: "my--port" }] }] },
      ['spec.egress[0].ports[0].port: Invalid value: "my--port": must not contain consecutive hyphens'],
    ],
    [
      "endPort below port",
      ingressRule({ ports: [{ port: 100, endPort: 99 }] }),
      ["spec.ingress[0].ports[0].endPort: Invalid value: 99: must be greater than or equal to `port`"],
    ],
    [
      "endPort out of range",
      ingressRule({ ports: [{ port: 100, endPort: 70000 }] }),
      ["spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ],
    [
      "endPort with a named port",
      ingressRule({ ports: [{ port: "http", endPort: 90 }] }),
      ["spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric"],
    ],
    [
      "endPort without a port",
      ingressRule({ ports: [{ endPort: 90 }] }),
      ["spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified"],
    ],
  ])("rejects %s", (_, spec, expected) => {
    expect(render(validateNetworkPolicy(policy(spec)))).toEqual(expected);
  });

  it.each<[string, Record<string, unknown> | undefined, Record<string, unknown>]>([
    ["no spec at all", undefined, { podSelector: {}, policyTypes: ["Ingress"] }],
    [
      "egress rules",
      { egress: [{ ports: [{ port: 53 }] }] },
      {
        podSelector: {},
        egress: [{ ports: [{ port: 53, protocol: "TCP" }] }],
        policyTypes: ["Ingress", "Egress"],
      },
    ],
    [
      "explicit types",
      { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Egress"] },
      {
        podSelector: { matchLabels: { a: "b" } },
        policyTypes: ["Egress"],
      },
    ],
  ])("defaults %s", (_, spec, expected) => {
    const object = obj(spec === undefined ? {} : { spec });
    defaultNetworkPolicy(object);
    expect(object.spec).toEqual(expected);
  });
});
