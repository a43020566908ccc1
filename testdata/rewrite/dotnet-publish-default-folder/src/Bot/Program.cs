Console.WriteLine(Lib.Greeting.Text);
