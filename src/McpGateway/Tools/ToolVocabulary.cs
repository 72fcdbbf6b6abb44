using System.Collections.Frozen;

namespace McpGateway.Tools;

/// <summary>
/// The words the classifier knows: verbs by category, the nouns that mean money, and the small words that
/// join verbs ("build_and_push", "create or update"). Deliberately a plain list: every classification is
/// explained by naming the word that matched, so the list is the whole of the classifier's knowledge.
/// </summary>
internal static class ToolVocabulary
{
    // Short verbs whose last consonant doubles before -ing (run -> running). Declared before the tables
    // built from it: static fields initialise in the order they are written.
    private static readonly string[] Doubling = ["run", "drop", "stop", "put", "set", "get", "tag"];

    private static readonly FrozenDictionary<string, ToolCategory> Verbs = BuildVerbs();

    /// <summary>Inflected forms a description uses ("Deletes", "deleting") mapped to the base verb.</summary>
    private static readonly FrozenDictionary<string, string> Inflections = BuildInflections();

    /// <summary>
    /// Nouns that make a writing or running verb move money: <c>create_refund</c> is Financial while
    /// <c>list_refunds</c> stays a read.
    /// </summary>
    private static readonly FrozenSet<string> MoneyNouns = new[]
    {
        "pay", "payment", "payments", "charge", "charges", "refund", "refunds", "payout", "payouts", "transfer", "transfers",
        "invoice", "invoices", "purchase", "purchases", "funds", "money", "transaction", "transactions", "withdrawal",
        "withdrawals", "balance", "balances", "wire", "remittance",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> JoinWords = new[] { "and", "or", "then" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Parameter names (as tokens) that mark an enum as selecting what a multiplexed tool does.</summary>
    private static readonly FrozenSet<string> OperationWords = new[]
    {
        "operation", "operations", "op", "action", "actions", "verb", "command", "cmd", "method", "mode", "task",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The category of a verb in its base form, or null for a word the vocabulary does not hold.</summary>
    public static ToolCategory? VerbCategory(string word) => Verbs.TryGetValue(word, out var category) ? category : null;

    /// <summary>The base verb for a word as descriptions write it ("Deletes" -> "delete"), or null.</summary>
    public static string? BaseVerb(string lowercaseWord) =>
        Verbs.ContainsKey(lowercaseWord) ? lowercaseWord : Inflections.GetValueOrDefault(lowercaseWord);

    public static bool IsMoneyNoun(string word) => MoneyNouns.Contains(word);

    public static bool IsJoinWord(string word) => JoinWords.Contains(word);

    public static bool IsOperationWord(string word) => OperationWords.Contains(word);

    private static FrozenDictionary<string, ToolCategory> BuildVerbs()
    {
        var verbs = new Dictionary<string, ToolCategory>(StringComparer.Ordinal);
        void Add(ToolCategory category, params string[] words)
        {
            foreach (var word in words)
            {
                verbs.Add(word, category);
            }
        }

        Add(
            ToolCategory.Read,
            "list", "get", "describe", "read", "search", "find", "query", "fetch", "show", "view", "lookup", "inspect",
            "retrieve", "count", "browse", "download", "export", "check", "validate", "verify", "explain", "preview", "watch",
            "tail", "diff", "compare", "analyze", "analyse", "summarize", "summarise", "calculate", "estimate", "lint",
            "render", "poll", "ping", "scan", "monitor", "discover", "return", "echo", "load", "recommend");
        Add(
            ToolCategory.Write,
            "create", "update", "put", "set", "add", "write", "edit", "modify", "patch", "upload", "insert", "append", "post",
            "save", "rename", "move", "copy", "tag", "untag", "label", "attach", "detach", "enable", "disable", "register",
            "import", "publish", "send", "commit", "merge", "assign", "unassign", "comment", "reply", "upsert", "configure",
            "apply", "scale", "toggle", "mark", "close", "reopen", "lock", "unlock", "archive", "approve", "reject", "invite",
            "share", "sync", "manage", "schedule", "fork", "push", "replace", "restore", "grant", "generate", "store", "change");
        Add(
            ToolCategory.Execute,
            "run", "exec", "execute", "build", "deploy", "invoke", "start", "restart", "reboot", "stop", "trigger", "launch",
            "call", "eval", "evaluate", "spawn", "compile", "rollout", "rollback", "provision", "install", "dispatch",
            "submit", "redeploy", "upgrade", "migrate", "shell");
        Add(
            ToolCategory.Destructive,
            "delete", "del", "remove", "rm", "destroy", "purge", "drop", "truncate", "wipe", "erase", "terminate",
            "uninstall", "deregister", "unregister", "prune", "clear", "flush", "reset", "revoke", "evict", "kill", "cancel",
            "overwrite", "force");
        Add(
            ToolCategory.Financial,
            "pay", "charge", "refund", "transfer", "payout", "withdraw", "purchase", "buy", "sell", "bill", "invoice", "settle");
        return verbs.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, string> BuildInflections()
    {
        var forms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var verb in Verbs.Keys)
        {
            forms.TryAdd(ThirdPerson(verb), verb);
            forms.TryAdd(Gerund(verb), verb);
        }

        foreach (var verb in Verbs.Keys)
        {
            forms.Remove(verb);
        }

        return forms.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ThirdPerson(string verb)
    {
        if (verb.EndsWith('s') || verb.EndsWith('x') || verb.EndsWith('z') || verb.EndsWith("ch", StringComparison.Ordinal) || verb.EndsWith("sh", StringComparison.Ordinal))
        {
            return verb + "es";
        }

        return verb.Length > 1 && verb[^1] == 'y' && !IsVowel(verb[^2]) ? verb[..^1] + "ies" : verb + "s";
    }

    private static string Gerund(string verb)
    {
        if (Array.IndexOf(Doubling, verb) >= 0 && !verb.EndsWith('e'))
        {
            return verb + verb[^1] + "ing";
        }

        if (verb.EndsWith("ie", StringComparison.Ordinal))
        {
            return verb[..^2] + "ying";
        }

        return verb.EndsWith('e') && !verb.EndsWith("ee", StringComparison.Ordinal) ? verb[..^1] + "ing" : verb + "ing";
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
