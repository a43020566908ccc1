using System.Diagnostics;

namespace Jobs;

public static class Report
{
    // wkhtmltopdf renders the PDF: it must be on the image.
    public static string Render()
    {
        using var p = Process.Start("wkhtmltopdf", "report.html report.pdf");
        p.WaitForExit();
        return "report.pdf";
    }
}
