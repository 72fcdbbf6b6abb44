using Microsoft.Extensions.Options;

namespace McpGateway.Admin;

/// <summary>Validates <see cref="AdminPageOptions"/>' data annotations with generated code (see Hosting/OptionsValidators.cs).</summary>
[OptionsValidator]
internal sealed partial class AdminPageOptionsValidator : IValidateOptions<AdminPageOptions>;
