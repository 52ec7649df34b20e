using MudBlazor;

namespace Portal.Components.Layout;

/// <summary>The portal's colours: a calm blue primary with contrast ratios above WCAG AA on both palettes.</summary>
public static class PortalTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4ed8",
            Secondary = "#0f766e",
            AppbarBackground = "#1e3a8a",
            Error = "#b91c1c",
            Warning = "#b45309",
            Info = "#0369a1",
            Success = "#15803d",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#93c5fd",
            Secondary = "#5eead4",
        },
    };
}
