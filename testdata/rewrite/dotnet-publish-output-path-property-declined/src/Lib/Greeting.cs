namespace Lib;
public static class Greeting { public const string Text = "hello"; }
