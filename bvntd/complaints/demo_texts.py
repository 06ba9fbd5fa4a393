"""The demo's words: complaint templates by sector, names, places and the phrases officers and consumers
write. Invented, but written the way real complaints are: formal and informal, with and without diacritics."""

from dataclasses import dataclass

from .states import Outcome


@dataclass(frozen=True)
class Template:
    sector: str
    businesses: tuple[str, ...]
    # Placeholders: {dn} business, {ngay} purchase date, {tien} amount, {thang} month.
    text: str
    wish: str
    amount: tuple[int, int] | None = None
    purchased: bool = True


# One block a template: "@ sector | amount range in đồng, or - [| no-date]", the businesses ("; "), the
# description (wrapped; the lines are joined with spaces; some written without diacritics, as many consumers
# type on a phone) and "=> " the outcome the consumer asks for.
TEMPLATE_TEXT = """
@ ecommerce | 450_000-3_500_000
Gia Dụng Thông Minh 247; Shop Nhà Xinh Online; Tiện Ích Việt Store
Tôi đặt mua một nồi chiên không dầu trên trang bán hàng của {dn} ngày {ngay}, đã chuyển khoản trước {tien}
đồng. Đến nay đã hơn ba tuần vẫn không nhận được hàng, gọi điện thì không ai nghe máy, nhắn tin trên fanpage
thì bị chặn.
=> Hoàn lại số tiền đã chuyển khoản.

@ ecommerce | 250_000-1_200_000
Thời Trang Mimi Livestream; Kho Sỉ Quảng Châu Hằng Nga; Bống Bống Fashion
Tôi mua áo khoác qua phiên livestream của {dn} ngày {ngay}, giá {tien} đồng. Hàng nhận được khác hoàn toàn
hình quảng cáo: vải mỏng, sai màu, sai kích cỡ. Khi bán shop cam kết đổi trả trong 7 ngày nhưng nay không
cho đổi.
=> Đổi đúng sản phẩm như quảng cáo hoặc trả lại tiền.

@ ecommerce | 300_000-1_500_000
Phụ Kiện Số Minh Tâm; TechZone Official Store
Toi dat mua tai nghe bluetooth tren san thuong mai dien tu, nguoi ban la {dn}, ngay {ngay} gia {tien} dong.
Hang giao toi bi loi, mot ben khong nghe duoc. Yeu cau doi tra thi nguoi ban khong phan hoi, san cung khong
giai quyet.
=> Doi san pham moi hoac hoan tien

@ ecommerce | 120_000-650_000
Ứng dụng giao đồ ăn NhanhNhanh; Ứng dụng đặt món Bếp Nhà
Tôi đặt đồ ăn qua {dn}, tài khoản đã bị trừ {tien} đồng nhưng đơn bị hủy. Ứng dụng báo sẽ hoàn tiền trong
3–5 ngày làm việc nhưng đã ba tuần tôi vẫn chưa nhận được, tổng đài chỉ trả lời tự động.
=> Hoàn tiền cho đơn hàng bị hủy.

@ ecommerce | 4_000_000-18_000_000
Di Động Giá Sỉ Online; Website Điện Thoại Xách Tay Phát Đạt
Dat mua dien thoai tren website {dn}, da thanh toan {tien} dong qua vi dien tu ngay {ngay}. Nhan hang thi la
may cu da qua su dung, hop bi boc lai. Cua hang khong tra loi tin nhan.
=> Tra lai tien hoac giao dung may moi

@ health | 350_000-2_500_000
Mỹ Phẩm Hàn Quốc Bella; Shop Làm Đẹp Ngọc Trinh Beauty; Cửa hàng mỹ phẩm Thu Thảo
Tôi mua bộ kem dưỡng da được quảng cáo là hàng chính hãng Hàn Quốc tại {dn} ngày {ngay} với giá {tien} đồng.
Sau khi dùng bị nổi mẩn đỏ, ngứa rát. Kiểm tra mã vạch thì không có trên hệ thống của hãng, tôi nghi là hàng
giả.
=> Trả lại tiền, bồi thường chi phí khám da liễu và kiểm tra cửa hàng.

@ health | 2_000_000-25_000_000
Thẩm mỹ viện Diamond Spa; Spa Hoàng Gia Vĩnh Long; Viện thẩm mỹ Linh Đan
Tôi làm dịch vụ trị nám tại {dn} ngày {ngay} với chi phí {tien} đồng. Sau một tuần da mặt bị bỏng, thâm đen.
Cơ sở không có giấy phép hành nghề khám chữa bệnh và từ chối trách nhiệm.
=> Bồi thường chi phí điều trị, đề nghị kiểm tra giấy phép của cơ sở.

@ health | 60_000-350_000
Nhà thuốc An Khang Phát; Quầy thuốc Minh Châu
Ngày {ngay} tôi mua thuốc hạ sốt cho con tại {dn}, về nhà mới thấy hộp thuốc đã hết hạn sử dụng từ tháng
trước. Nhà thuốc không nhận đổi và nói tôi tự làm mất hóa đơn.
=> Đổi thuốc còn hạn, kiểm tra nhà thuốc.

@ food | 600_000-900_000
Siêu thị Mini Phú Quý; Cửa hàng tạp hóa Bảy Hương; Bách hóa Xanh Lá
Ngày {ngay} tôi mua 2 thùng sữa tươi tiệt trùng tại {dn}, tổng {tien} đồng. Khi mở hộp cho con uống thì sữa
bị vón cục, có mùi chua dù hạn sử dụng còn 3 tháng. Cháu bị đau bụng phải đưa đi khám.
=> Đổi hàng, bồi thường chi phí khám bệnh và kiểm tra lô sữa.

@ food | 700_000-1_500_000
Cơm văn phòng Cô Ba; Bếp ăn Hạnh Phúc; Quán cơm tấm Sài Gòn Xưa
Trưa ngày {ngay} cơ quan tôi đặt 20 suất cơm hộp của {dn}, tổng {tien} đồng. Chiều cùng ngày nhiều người bị
đau bụng, tiêu chảy, 3 người phải vào viện. Đề nghị kiểm tra vệ sinh an toàn thực phẩm của cơ sở.
=> Kiểm tra cơ sở và bồi thường chi phí điều trị.

@ food | 300_000-1_200_000
Tiệm bánh Kim Phụng; Cửa hàng bánh Đức Phát
Mua banh trung thu tai {dn} ngay {ngay}, khi an thay nhan banh bi moc trong khi han su dung in tren hop con
2 thang. Cua hang khong chiu doi tra, noi do toi bao quan khong dung.
=> Tra lai tien va thu hoi lo banh

@ food | 3_000_000-15_000_000
Công ty TNHH Dược phẩm Sức Sống Việt; Trung tâm tư vấn sức khỏe Tâm An
Mẹ tôi mua thực phẩm bảo vệ sức khỏe của {dn} qua một buổi tư vấn sức khỏe miễn phí, giá {tien} đồng, được
quảng cáo là chữa khỏi tiểu đường. Uống một tháng không có tác dụng, đường huyết còn tăng.
=> Hoàn tiền và xử lý hành vi quảng cáo sai sự thật.

@ food | 220_000-400_000
Chợ Phường 1 - sạp thịt Năm Lợi; Cửa hàng thực phẩm tươi sống Hòa Bình
Ngày {ngay} tôi mua 2 kg thịt heo tại {dn}, về nấu thấy thịt có mùi hôi, màu tái xanh, nghi là thịt không rõ
nguồn gốc. Người bán không nhận lại.
=> Kiểm tra nguồn gốc thịt, trả lại tiền.

@ telecom | 250_000-900_000
Mạng di động Sao Việt; Nhà mạng VNX Mobile
Cước điện thoại di động tháng {thang} của tôi tại {dn} tăng lên {tien} đồng, gấp ba lần bình thường. Tổng
đài giải thích do tôi đăng ký dịch vụ giá trị gia tăng nhưng tôi không hề đăng ký.
=> Hoàn lại tiền cước bị trừ sai, hủy các dịch vụ không đăng ký.

@ telecom | 500_000-2_000_000 | no-date
Internet Cáp Quang Đồng Bằng; Truyền hình cáp và Internet Sông Tiền
Gói internet cáp quang của {dn} thường xuyên mất kết nối vào buổi tối. Tôi đã báo hỏng hơn 10 lần trong
tháng nhưng không được khắc phục. Khi yêu cầu chấm dứt hợp đồng thì bị đòi phí phạt {tien} đồng.
=> Chấm dứt hợp đồng không phải trả phí phạt.

@ telecom | 90_000-450_000 | no-date
Mạng di động Sao Việt; Nhà mạng VNX Mobile
Toi bi tru tien tai khoan dien thoai moi ngay 5.000 dong vi dich vu tin nhan ma toi khong dang ky, tong cong
{tien} dong. Nha mang {dn} noi toi phai tu huy dich vu nhung khong hoan tien.
=> Hoan tien da tru

@ telecom | 1_500_000-8_000_000
Chuyển phát nhanh Tốc Hành; Dịch vụ giao hàng Siêu Tốc 24h
Tôi gửi một thùng hàng qua {dn} ngày {ngay}, khai giá {tien} đồng và đã mua bảo hiểm hàng hóa. Hàng bị thất
lạc, công ty chỉ đồng ý bồi thường 4 lần cước phí.
=> Bồi thường đúng giá trị hàng đã khai.

@ energy | 900_000-3_200_000 | no-date
Điện lực Cửu Long; Công ty Điện lực Miền Tây
Hóa đơn tiền điện tháng {thang} của gia đình tôi là {tien} đồng, tăng gấp đôi các tháng trước dù sinh hoạt
không thay đổi. Tôi đã đề nghị {dn} kiểm tra công tơ nhưng chưa được trả lời.
=> Kiểm định công tơ, tính lại tiền điện.

@ energy | 800_000-4_000_000 | no-date
Điện lực Cửu Long; Công ty Điện lực Miền Tây
{dn} cắt điện nhà tôi không thông báo trước với lý do chậm thanh toán, trong khi tôi đã nộp tiền điện qua
ngân hàng đúng hạn. Thực phẩm trong tủ đông hư hỏng, thiệt hại khoảng {tien} đồng.
=> Xin lỗi và bồi thường thiệt hại.

@ quality | 430_000-520_000
Đại lý gas Hưng Thịnh; Cửa hàng gas Phước Lộc
Ngày {ngay} tôi mua bình gas 12 kg tại {dn} giá {tien} đồng nhưng dùng chưa được nửa tháng đã hết. Cân thử
bình mới chỉ có khoảng 9,5 kg gas, bình không có tem niêm phong.
=> Kiểm tra đo lường, đổi bình đủ trọng lượng.

@ quality | 100_000-130_000
Cửa hàng xăng dầu số 7; Cây xăng Tân Phú
Ngày {ngay} tôi đổ xăng tại {dn}, trụ bơm báo 5 lít nhưng khi kiểm tra bằng can đo chỉ được khoảng 4,6 lít.
Nhân viên không cho kiểm tra lại.
=> Kiểm định trụ bơm, xử lý gian lận đo lường.

@ market | 450_000-650_000
Tiệm gạo Thanh Bình; Đại lý gạo Ngọc Hà
Ngày {ngay} tôi mua một bao gạo 25 kg tại {dn} với giá {tien} đồng, cao hơn giá niêm yết 40%. Khi hỏi lại
thì chủ tiệm nói giá đã tăng nhưng không niêm yết giá mới.
=> Trả lại phần tiền chênh lệch, kiểm tra việc niêm yết giá.

@ market | 900_000-3_500_000
Shop Giày Sneaker Real; Cửa hàng giày thể thao Phong Cách
Toi mua doi giay the thao tai {dn} gia {tien} dong, nguoi ban khang dinh la hang chinh hang co bao hanh. Di
duoc 2 tuan giay bi bong de, mang ra cua hang chinh hang kiem tra thi ho xac nhan la hang gia.
=> Tra lai tien, xu ly ban hang gia

@ market | 2_500_000-12_000_000
Cửa hàng đồng hồ Thời Gian Vàng; Shop Túi Xách Hiệu Ly Ly
Tôi mua một chiếc túi xách được bán là hàng hiệu nhập khẩu tại {dn} ngày {ngay} giá {tien} đồng. Sau khi
kiểm tra tại cửa hàng chính hãng thì đây là hàng giả, tem nhập khẩu bị làm giả.
=> Hoàn tiền và xử lý hành vi bán hàng giả.

@ finance | 300_000-1_200_000 | no-date
Ngân hàng TMCP Phương Đông Mới; Ngân hàng TMCP Đất Phương Nam
Ngân hàng {dn} tự động trừ phí thường niên thẻ tín dụng {tien} đồng dù khi mở thẻ nhân viên tư vấn là miễn
phí trọn đời. Khi tôi yêu cầu hủy thẻ thì bị yêu cầu đóng thêm phí.
=> Hoàn lại phí thường niên, hủy thẻ không mất phí.

@ finance | 8_000_000-30_000_000
Bảo hiểm nhân thọ An Phúc; Công ty Bảo hiểm Sức khỏe Việt Tín
Tôi mua bảo hiểm sức khỏe của {dn} qua nhân viên ngân hàng, phí {tien} đồng mỗi năm. Khi nằm viện yêu cầu
bồi thường thì công ty từ chối với lý do bệnh có từ trước, dù lúc ký hợp đồng không ai hỏi.
=> Chi trả quyền lợi bảo hiểm theo hợp đồng.

@ finance | 10_000_000-50_000_000 | no-date
Công ty Tài chính Tiêu dùng Nhanh; Công ty Tài chính Hưng Vượng
Tôi vay tiêu dùng {tien} đồng tại {dn}. Dù tôi vẫn trả đúng hạn, nhân viên thu hồi nợ liên tục gọi điện cho
người thân, đồng nghiệp của tôi, đe dọa và nói sai sự thật.
=> Chấm dứt việc gọi điện quấy rối người thân.

@ housing | 800_000_000-2_400_000_000
Công ty CP Địa ốc Sông Hậu; Công ty TNHH Đầu tư Bất động sản Phú An
Tôi ký hợp đồng mua căn hộ tại dự án của {dn}, đã thanh toán {tien} đồng (70% giá trị). Theo hợp đồng căn hộ
được bàn giao trong quý II nhưng đến nay chủ đầu tư vẫn chưa bàn giao, cũng không trả tiền phạt chậm bàn
giao như cam kết.
=> Bàn giao căn hộ và trả tiền phạt chậm bàn giao theo hợp đồng.

@ housing | 600_000-1_800_000 | no-date
Ban quản lý chung cư Phú Lợi; Công ty Quản lý vận hành Tòa nhà Mê Kông
{dn} tự ý tăng phí dịch vụ quản lý lên {tien} đồng mỗi tháng mà không tổ chức hội nghị nhà chung cư lấy ý
kiến cư dân. Ai chưa đóng thì bị khóa thẻ thang máy.
=> Giữ mức phí cũ cho đến khi có ý kiến hội nghị nhà chung cư.

@ housing | 150_000-450_000 | no-date
Công ty Cấp nước Phước Thạnh; Nhà máy nước Long Hồ
Nước máy do {dn} cung cấp nhiều ngày có màu vàng đục và mùi lạ, gia đình tôi không dùng được nhưng hóa đơn
tháng {thang} vẫn là {tien} đồng.
=> Kiểm tra chất lượng nước, giảm tiền nước những ngày nước bẩn.

@ education | 6_000_000-24_000_000
Trung tâm Anh ngữ Global Kids; Trung tâm Ngoại ngữ Sunrise; Anh văn Hội Việt Mỹ Cửu Long
Tôi đóng học phí khóa tiếng Anh giao tiếp 6 tháng tại {dn} là {tien} đồng ngày {ngay}. Sau 3 buổi trung tâm
đổi giáo viên nước ngoài thành giáo viên Việt Nam, lớp ghép đông hơn cam kết. Tôi xin nghỉ và yêu cầu hoàn
học phí nhưng trung tâm từ chối.
=> Hoàn lại học phí các buổi chưa học.

@ education | 15_000_000-22_000_000
Trung tâm đào tạo lái xe Thành Công; Trường dạy lái xe Cửu Long
Tôi đóng {tien} đồng học lái xe hạng B tại {dn}, cam kết là trọn gói. Gần ngày thi trung tâm thu thêm tiền
chạy xe chip và thuê xe, nếu không đóng thì không cho thi.
=> Không thu thêm các khoản ngoài hợp đồng.

@ tourism | 5_000_000-28_000_000
Công ty Du lịch Mê Kông Xanh; Lữ hành Việt Sen Travel; Du lịch Hoàng Long Tourist
Gia đình tôi đặt tour Phú Quốc 3 ngày 2 đêm của {dn}, đã đặt cọc {tien} đồng ngày {ngay}. Hai ngày trước khi
khởi hành công ty báo hủy tour, hứa hoàn tiền trong 7 ngày nhưng đến nay chưa trả.
=> Hoàn lại toàn bộ tiền cọc.

@ tourism | 800_000-3_000_000 | no-date
Khách sạn Hoa Sen Riverside; Khách sạn Ngọc Lan
Tôi đặt phòng khách sạn {dn} qua điện thoại và chuyển cọc {tien} đồng. Khi đến nơi khách sạn nói hết phòng,
chỉ trả lại một nửa tiền cọc.
=> Trả lại toàn bộ tiền cọc.

@ tourism | 30_000_000-120_000_000
Câu lạc bộ kỳ nghỉ Sunny Holiday; Công ty Nghỉ dưỡng Thiên Đường Xanh
Thấy quảng cáo trên mạng xã hội của {dn} về kỳ nghỉ miễn phí, tôi đến dự hội thảo và bị ép ký hợp đồng sở
hữu kỳ nghỉ {tien} đồng, không được đọc kỹ hợp đồng, không được mang hợp đồng về nhà.
=> Hủy hợp đồng và hoàn tiền đã trả.

@ data | - | no-date
Cửa hàng điện thoại Hoàng Hà Mobile; Showroom ô tô Phú Mỹ; Phòng khám nha khoa Nụ Cười
Sau khi tôi điền thông tin đăng ký nhận tư vấn tại {dn}, ngày nào tôi cũng nhận 5–7 cuộc gọi rác mời mua bảo
hiểm, vay tiền, bất động sản. Tôi nghi cơ sở đã bán dữ liệu cá nhân của tôi.
=> Điều tra việc mua bán dữ liệu cá nhân và xử lý.

@ data | - | no-date
Ứng dụng vay tiền Vay Dễ; Ứng dụng tài chính Tiền Nhanh
Ứng dụng {dn} yêu cầu quyền truy cập danh bạ khi tôi đăng ký. Sau đó họ nhắn tin cho toàn bộ danh bạ nói tôi
nợ tiền, dù tôi chưa hề nhận khoản vay nào.
=> Chấm dứt việc nhắn tin, xóa dữ liệu cá nhân của tôi.

@ transport | 250_000-600_000
Taxi Phương Nam; Taxi Mai Linh Đỏ; Hãng xe công nghệ GoGo
Tối ngày {ngay} tôi đi taxi của {dn} từ bến xe về nhà, quãng đường khoảng 6 km nhưng tài xế tính {tien}
đồng, đồng hồ tính tiền có dấu hiệu bị chỉnh. Tài xế không xuất hóa đơn.
=> Trả lại tiền thu sai, kiểm tra đồng hồ tính tiền.

@ transport | 1_800_000-6_500_000
Hãng hàng không Cánh Sen; Hãng bay Mê Kông Air
Chuyến bay của {dn} ngày {ngay} bị hoãn 6 tiếng không thông báo trước, hãng không hỗ trợ ăn uống. Tôi lỡ
chuyến bay nối tiếp và phải mua vé mới {tien} đồng.
=> Bồi thường tiền vé mới theo quy định.

@ general | 5_500_000-14_000_000
Siêu thị điện máy Phương Nam; Điện máy Thành Đạt; Trung tâm bảo hành Kim Long
Máy giặt mua tại {dn} ngày {ngay} giá {tien} đồng, mới dùng 4 tháng đã hỏng bo mạch. Trung tâm bảo hành từ
chối bảo hành với lý do chuột cắn nhưng không cho tôi xem linh kiện bị hỏng.
=> Bảo hành miễn phí theo phiếu bảo hành.

@ general | 9_000_000-22_000_000
Siêu thị điện máy Phương Nam; Điện máy Thành Đạt
Mua tivi 55 inch tai sieu thi dien may {dn} ngay {ngay}, gia {tien} dong. Giao hang xong 2 ngay thi man hinh
bi soc ngang, sieu thi hen doi may nhung da qua 3 tuan van chua doi.
=> Doi tivi moi

@ general | 3_000_000-12_000_000
Phòng tập California Body; Trung tâm thể hình Sức Trẻ
Tôi đóng {tien} đồng cho gói tập 12 tháng tại {dn}. Sau hai tháng phòng tập đóng cửa không báo trước, chủ cơ
sở không liên lạc được.
=> Hoàn lại tiền các tháng chưa tập.

@ general | 5_000_000-30_000_000
Xưởng nội thất Gỗ Việt; Nội thất Minh Khang
Tôi đặt đóng tủ bếp tại {dn}, đặt cọc {tien} đồng ngày {ngay}, hẹn 30 ngày giao. Đã quá hạn một tháng, cửa
hàng liên tục khất lần, không trả lại tiền cọc.
=> Giao hàng trong tháng này hoặc trả lại tiền cọc.

@ general | 32_000_000-55_000_000
Đại lý xe máy Honda Thành Lợi; Cửa hàng xe máy Phát Tiến
Tôi mua xe máy mới tại đại lý {dn} ngày {ngay} giá {tien} đồng. Đại lý thu thêm phí dịch vụ làm giấy tờ 3
triệu đồng không có hóa đơn, xe giao có vết trầy ở yếm.
=> Trả lại phí thu thêm, sửa vết trầy.

@ general | 4_500_000-9_000_000
Công ty TNHH Nước Sạch Gia Đình; Thiết bị lọc nước An Toàn Xanh
Nhân viên của {dn} đến nhà giới thiệu máy lọc nước, nói là chương trình của phường, mẹ tôi đã trả {tien}
đồng. Máy lắp xong không hoạt động, số điện thoại trên hóa đơn không liên lạc được.
=> Thu hồi máy và trả lại tiền.

@ general | 10_000_000-45_000_000
Công ty TNHH Thương mại Đa cấp Phúc Lộc; Công ty Kinh doanh Mạng lưới Hoàn Mỹ
Tôi được người quen rủ tham gia {dn}, mua gói sản phẩm {tien} đồng để làm nhà phân phối. Sản phẩm không bán
được, công ty không cho trả lại hàng và không hoàn tiền như cam kết.
=> Mua lại hàng theo quy định về kinh doanh đa cấp.
"""


def _parse_templates(text: str) -> tuple[Template, ...]:
    templates = []
    for block in text.strip().split("@ ")[1:]:
        head, businesses, *lines = block.strip().splitlines()
        sector, amount, *flags = (part.strip() for part in head.split("|"))
        low, _, high = amount.partition("-")
        templates.append(
            Template(
                sector=sector,
                businesses=tuple(b.strip() for b in businesses.split(";")),
                text=" ".join(line for line in lines if not line.startswith("=> ")),
                wish=next(line[3:] for line in lines if line.startswith("=> ")),
                amount=(int(low), int(high)) if high else None,
                purchased="no-date" not in flags,
            )
        )
    return tuple(templates)


TEMPLATES = _parse_templates(TEMPLATE_TEXT)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ")
MIDDLE_M = ("Văn", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Đức", "Hữu")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng")
GIVEN_M = (
    "An", "Bình", "Cường", "Dũng", "Hiếu", "Hòa", "Khánh", "Long", "Nam", "Phúc", "Quân", "Tâm", "Tuấn",
)  # fmt: skip
GIVEN_F = ("Dung", "Hạnh", "Lan", "Linh", "Mai", "Nga", "Thảo", "Trang", "Vy", "Yến", "Hương", "Ngân", "Nhi")
STREETS = (
    "đường Phạm Thái Bường",
    "đường Trần Phú",
    "đường Nguyễn Huệ",
    "đường 2 Tháng 9",
    "đường Mậu Thân",
    "đường Phó Cơ Điều",
    "đường Lê Thái Tổ",
    "đường Đồng Khởi",
    "đường Nguyễn Đình Chiểu",
    "đường 30 Tháng 4",
)
HAMLETS = ("ấp Phú Thạnh", "ấp Tân Hòa", "ấp Long Hưng", "ấp Bình Phụng", "ấp An Điền", "khóm 3", "khóm 5")
# Vietnamese mobile prefixes (each number is still checked with phonenumbers before use).
MOBILE_PREFIXES = (
    "090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038",
    "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "056",
    "058",
)  # fmt: skip

# --- what officers and consumers say along the way ------------------------------------------------------

INFO_REQUESTS = (
    "Đề nghị ông/bà gửi bổ sung ảnh chụp hóa đơn hoặc chứng từ thanh toán.",
    "Vui lòng cung cấp ảnh chụp tin nhắn, cuộc trò chuyện với người bán liên quan đến giao dịch.",
    "Đề nghị bổ sung bản sao hợp đồng đã ký và phụ lục (nếu có).",
    "Vui lòng cho biết địa chỉ cụ thể của cửa hàng và thời điểm giao dịch.",
    "Đề nghị gửi ảnh sản phẩm bị lỗi và phiếu bảo hành.",
    "Vui lòng bổ sung sao kê tài khoản thể hiện khoản tiền bị trừ.",
)
REPLIES = (
    "Tôi gửi bổ sung ảnh hóa đơn và ảnh chụp màn hình tin nhắn với người bán.",
    "Em gửi hợp đồng và biên nhận tiền cọc ạ.",
    "Toi da gui anh san pham va phieu bao hanh, mong co quan xem xet.",
    "Cửa hàng ở số 25 đường Trần Phú, tôi mua vào buổi sáng, có người làm chứng.",
    "Tôi gửi sao kê ngân hàng tháng này, khoản bị trừ đã đánh dấu.",
)
NOTES = (
    "Đã gọi điện cho doanh nghiệp, đại diện hẹn phản hồi bằng văn bản trong tuần.",
    "Doanh nghiệp đề nghị gặp trực tiếp người tiêu dùng để thương lượng.",
    "Đã đối chiếu hóa đơn, thông tin người tiêu dùng cung cấp là phù hợp.",
    "Cần xin ý kiến lãnh đạo về hướng xử lý do số tiền lớn.",
    "Đã gửi công văn đề nghị doanh nghiệp giải trình.",
    "Trường hợp tương tự đã có 3 hồ sơ trong tháng, đề xuất kiểm tra doanh nghiệp.",
)
COORDINATOR_NOTES = (
    "Điều phối: theo dõi, hồ sơ thuộc nhóm phản ánh nhiều trong tỉnh.",
    "Điều phối: đề nghị cơ quan xử lý ưu tiên vì người tiêu dùng là người cao tuổi.",
)
MESSAGES = (
    "Cơ quan đã liên hệ doanh nghiệp và đang chờ doanh nghiệp phản hồi. Chúng tôi sẽ thông báo kết quả.",
    "Doanh nghiệp hẹn liên hệ trực tiếp với ông/bà trong 3 ngày làm việc để thương lượng.",
    "Hồ sơ đang được xác minh, ông/bà vui lòng giữ lại hóa đơn và sản phẩm.",
)
SUMMARIES = {
    Outcome.SETTLED: (
        "Hai bên đã thương lượng thành công tại buổi làm việc, doanh nghiệp đồng ý đáp ứng yêu cầu.",
        "Doanh nghiệp xin lỗi và thỏa thuận hỗ trợ một phần chi phí, người tiêu dùng đồng ý.",
    ),
    Outcome.REFUNDED: (
        "Doanh nghiệp đã hoàn lại toàn bộ số tiền cho người tiêu dùng.",
        "Doanh nghiệp đã chuyển khoản bồi thường theo đề nghị của người tiêu dùng.",
    ),
    Outcome.REPAIRED: (
        "Doanh nghiệp đã đổi sản phẩm mới cho người tiêu dùng.",
        "Sản phẩm đã được bảo hành, sửa chữa miễn phí.",
    ),
    Outcome.EXPLAINED: (
        "Đã giải thích: khoản thu đúng theo hợp đồng người tiêu dùng đã ký, yêu cầu không có cơ sở.",
        "Kết quả kiểm tra cho thấy sản phẩm đạt chất lượng công bố; đã giải thích cho người tiêu dùng.",
    ),
    Outcome.NOT_SETTLED: (
        "Doanh nghiệp không đồng ý thương lượng; đã hướng dẫn người tiêu dùng khởi kiện tại Tòa án.",
        "Hai bên không thống nhất được; đã hướng dẫn thủ tục trọng tài và hòa giải thương mại.",
    ),
    Outcome.REFERRED: (
        "Phát hiện dấu hiệu vi phạm hành chính; đã chuyển hồ sơ cho lực lượng Quản lý thị trường xử lý.",
        "Đã chuyển Thanh tra chuyên ngành xử lý vi phạm; người tiêu dùng được thông báo.",
    ),
}
DISPUTES = (
    "Doanh nghiệp chưa hoàn tiền như đã cam kết tại buổi làm việc.",
    "Tôi không đồng ý với kết quả, sản phẩm đổi lại vẫn bị lỗi như cũ.",
    "Khong dong y, doanh nghiep chi tra mot nua so tien.",
)
WITHDRAWALS = (
    "Doanh nghiệp đã liên hệ hoàn tiền, tôi xin rút yêu cầu.",
    "Hai bên đã tự thỏa thuận được.",
    "Toi da duoc cua hang doi san pham moi, xin rut don.",
    "",
)
RATING_COMMENTS = ("Cảm ơn cán bộ đã hỗ trợ nhiệt tình.", "Xử lý nhanh, rõ ràng.", "", "Chậm mà chắc.")
OUT_OF_SCOPE = (
    "Giao dịch giữa hai cá nhân không kinh doanh, không thuộc phạm vi Luật Bảo vệ quyền lợi người tiêu dùng "
    "2023; đề nghị ông/bà liên hệ Tòa án nhân dân để được giải quyết.",
    "Sự việc đã được Tòa án thụ lý giải quyết nên cơ quan không tiếp tục hỗ trợ thương lượng.",
    "Hàng hóa được mua để kinh doanh, không nhằm mục đích tiêu dùng nên không thuộc phạm vi bảo vệ.",
)
DUPLICATE_NOTE = "Tôi đã gửi khiếu nại trước đây nhưng chưa thấy phản hồi nên gửi lại."
REASSIGN_REASON = (
    "Nội dung thuộc lĩnh vực an toàn thực phẩm, y tế: chuyển Sở Y tế xử lý theo Luật An toàn thực phẩm 2010 "
    "và quy chế phối hợp của tỉnh."
)


# --- seeding --------------------------------------------------------------------------------------------

# What the portal business answers, by kind of answer.
BUSINESS_ANSWERS = {
    "monetary": "TechZone xin lỗi quý khách về sự cố. Công ty đồng ý hoàn lại toàn bộ số tiền vào tài "
    "khoản quý khách trong 3 ngày làm việc và đã thu hồi sản phẩm lỗi.",
    "non_monetary": "TechZone đã kiểm tra, xác nhận lỗi do nhà sản xuất và đổi cho quý khách sản phẩm "
    "mới cùng loại; quý khách nhận hàng tại cửa hàng hoặc qua đơn vị vận chuyển, miễn phí.",
    "explanation": "Theo biên bản kiểm tra, sản phẩm bị va đập nên không thuộc diện bảo hành. TechZone "
    "gửi kèm ảnh chụp và hỗ trợ sửa chữa với giá ưu đãi nếu quý khách có nhu cầu.",
}

MEDIATION_MINUTES = (
    "Người tiêu dùng trình bày sự việc và đề nghị được hoàn tiền. Đại diện doanh nghiệp thừa nhận sản "
    "phẩm giao không đúng cam kết.\n\nSau khi trao đổi, hai bên thống nhất phương án hoàn tiền, thời hạn "
    "thực hiện như ghi tại phần thỏa thuận. Các bên đồng ý ký biên bản."
)
