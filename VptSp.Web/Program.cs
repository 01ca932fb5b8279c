using VptSp.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddVptSpServices();

var app = builder.Build();
app.UseVptSpPipeline();
app.Run();

public partial class Program;
