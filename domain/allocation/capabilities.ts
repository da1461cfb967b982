/**
 * SKU flags that demand a warehouse capability. A cold-chain item is never allocated to a
 * warehouse without cold storage, however much stock it shows.
 */
export const HANDLING_CAPABILITIES = ['cold_chain', 'fragile'] as const;
export type HandlingCapability = (typeof HANDLING_CAPABILITIES)[number];

export function requiredCapabilities(flags: readonly string[]): HandlingCapability[] {
  return HANDLING_CAPABILITIES.filter((capability) => flags.includes(capability));
}

/** The capabilities among `required` that a warehouse lacks. */
export function missingCapabilities(
  required: readonly HandlingCapability[],
  capabilities: readonly string[],
): HandlingCapability[] {
  return required.filter((capability) => !capabilities.includes(capability));
}
