// The shape of the one question every datastore family answers: does this server let a client that reaches
// it in without credentials? Each datastore family has one function (redisAuthentication, ...) taking either
// a configuration file on its own (the family's file checks) or a container that runs the server (compose,
// Kubernetes): its image, command line, environment and any configuration file mounted into it.
import type { Span } from '../../core/types';
import type { TextRef } from '../../core/check';

/** A value as written, where it is written. */
export interface WrittenValue {
  text: string;
  span: Span;
}

/** A variable of a container's environment; `value` is undefined when it is not a literal known here. */
export interface EnvSetting {
  value?: string;
  span: Span;
}

/** The value of another variable of the same container (undefined when unset or not a literal). */
export type EnvLookup = (name: string) => string | undefined;

/** A configuration file the container's server reads, read from the workspace. */
export interface MountedFile<Config> {
  config: Config;
  /** The mount or command-line argument that makes the server read it. */
  via: { span: Span };
}

/** What a container definition (a compose service, a Kubernetes container) tells about the server it runs. */
export interface Container {
  /** The container's (or service's) name where it is defined: evidence with no setting to point at points here. */
  nameSpan: Span;
  image?: WrittenValue;
  /** The command line the container is given (its arguments), each with its span; empty when none. */
  command: readonly WrittenValue[];
  /** A variable of the container's environment, undefined when unset. */
  env(name: string): EnvSetting | undefined;
}

/** A container, with the configuration file mounted into it when the caller found one. */
export interface ContainerInputs<Config> extends Container {
  /** 'unreadable' when the file is named but cannot be read: its settings are unknown. */
  mounted?: MountedFile<Config> | 'unreadable';
}

/** A configuration file on its own (the family's own file checks), or a container that runs the server. */
export type DatastoreInputs<Config> = { file: Config } | { container: ContainerInputs<Config> };

/** A setting that decides, and why, in words fit for a finding's message or a related location. */
export interface AuthEvidence {
  span: Span;
  reason: TextRef;
}

export interface AuthVerdict {
  /**
   * 'yes': a client that reaches the server from another host gets in without credentials.
   * 'version': the same, but only on some versions of the server, and the inputs do not tell which runs.
   * 'no': clients must authenticate, or the server does not listen beyond loopback.
   * 'unknown': the inputs cannot tell (a configuration file that cannot be read, an image of unknown defaults).
   */
  open: 'yes' | 'version' | 'no' | 'unknown';
  /** The settings that decide; for a container, where each comes from (empty when nothing is written). */
  evidence: AuthEvidence[];
}

/** An environment setting of an image that switches authentication off (judged for every container). */
export interface AuthOffVariable {
  name: string;
  test(value: string | undefined, lookup: EnvLookup): boolean;
  problem: TextRef;
}

/** Evidence for each of `variables` the container sets so that authentication is off, in list order. */
export function authOffEvidence(container: Container, variables: readonly AuthOffVariable[]): AuthEvidence[] {
  const out: AuthEvidence[] = [];
  for (const { name, test, problem } of variables) {
    const variable = container.env(name);
    if (variable && test(variable.value, (other) => container.env(other)?.value)) out.push({ span: variable.span, reason: problem });
  }
  return out;
}

export const truthy = (value: string | undefined): boolean => value !== undefined && value !== '';
