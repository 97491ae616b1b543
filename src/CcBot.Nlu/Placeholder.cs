namespace CcBot.Nlu;
internal static class Placeholder { }
