using CcBot.Core.Contests;

namespace CcBot.Core.Tests.Contests;

public class ContactFormatterTests
{
    [Theory]
    [InlineData("0989.568.808", "tel:0989568808")]
    [InlineData("02583 810440", "tel:02583810440")]
    [InlineData("0914 233499", "tel:0914233499")]
    [InlineData("+84 914 233 499", "tel:+84914233499")]
    public void Phones_get_a_tel_uri(string display, string tel)
    {
        ContactFormatter.IsPhone(display).Should().BeTrue();
        ContactFormatter.TelUri(display).Should().Be(tel);
        ContactFormatter.DialablePhone(display).Should().Be($"{display} ({tel})");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("0989")]
    [InlineData("abc 0989 568 808")]
    public void Non_phones_are_rejected(string text) => ContactFormatter.IsPhone(text).Should().BeFalse();

    [Fact]
    public void Emails_and_urls()
    {
        ContactFormatter.IsEmail("cchc.snv@khanhhoa.gov.vn").Should().BeTrue();
        ContactFormatter.IsEmail("cchc.snv@").Should().BeFalse();
        ContactFormatter.DialableEmail("caicachhanhchinhkh@gmail.com").Should().Be("caicachhanhchinhkh@gmail.com (mailto:caicachhanhchinhkh@gmail.com)");
        ContactFormatter.IsWebUrl("http://thicchaiphong.hethong.vn/").Should().BeTrue();
        ContactFormatter.IsWebUrl("ftp://x.vn").Should().BeFalse();
        ContactFormatter.IsWebUrl("thitructuyen.bacgiang.gov.vn").Should().BeFalse();
    }
}

public class ContestResolverTests
{
    private static readonly ContestResolver Resolver = new(Repo.Catalog.Contests);

    [Theory]
    [InlineData("cuộc thi ở Hải Dương", "hai-duong-2024")]
    [InlineData("hai duong", "hai-duong-2024")]
    [InlineData("HẢI DƯƠNG năm 2024 thi khi nào?", "hai-duong-2024")]
    [InlineData("khanh hoa", "khanh-hoa-2021")]
    [InlineData("Cuộc thi video Khánh Hoà", "khanh-hoa-2021")]
    [InlineData("thi ở hà nội", "ha-noi-2019")]
    [InlineData("Bac Giang", "bac-giang-2020")]
    [InlineData("hội thi hải phòng", "hai-phong-2024")]
    [InlineData("/start hai-duong-2024", "hai-duong-2024")]
    [InlineData("bac-giang-2020", "bac-giang-2020")]
    [InlineData("Hội thi trực tuyến CCHC Hải Phòng 2024", "hai-phong-2024")]
    public void Resolves_place_names_with_or_without_diacritics(string text, string id) =>
        Resolver.Resolve(text)!.Id.Should().Be(id);

    [Theory]
    [InlineData("")]
    [InlineData("cuộc thi ở Đà Nẵng")]
    [InlineData("haiduong")]
    [InlineData("/start unknown-2030")]
    public void Unknown_text_resolves_to_nothing(string text) => Resolver.Resolve(text).Should().BeNull();

    [Fact]
    public void Hai_duong_is_not_confused_with_hai_phong() =>
        Resolver.FindCandidates("hai duong").Select(c => c.Id).Should().Equal("hai-duong-2024");

    [Fact]
    public void A_place_typed_in_nfd_without_capitals_or_with_punctuation_resolves_the_same() =>
        Resolver.FindCandidates("HẢI DƯƠNG!".Normalize(System.Text.NormalizationForm.FormD)).Select(c => c.Id).Should().Equal("hai-duong-2024");
}
