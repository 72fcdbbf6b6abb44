using McpGateway.Configuration;
using McpGateway.RateLimiting;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

// The [Range] checks of each options class, generated at build time. ValidateDataAnnotations() reads the
// attributes and the property values by reflection when the host starts, which generated code avoids
// (issue 8: cold start). The generated validators apply the same attributes with the same messages.

/// <summary>Validates <see cref="GatewayOptions"/>' data annotations.</summary>
[OptionsValidator]
internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;

/// <summary>Validates <see cref="SsmSourceOptions"/>' data annotations.</summary>
[OptionsValidator]
internal sealed partial class SsmSourceOptionsValidator : IValidateOptions<SsmSourceOptions>;

/// <summary>Validates <see cref="CounterStoreOptions"/>' data annotations.</summary>
[OptionsValidator]
internal sealed partial class CounterStoreOptionsValidator : IValidateOptions<CounterStoreOptions>;
